/**
 * The Mastodon REST entities the simulated server emits, in their wire form (snake_case keys).
 *
 * Shapes follow https://docs.joinmastodon.org/entities/Status/ and entities/Account/ as Mastodon
 * 4.3 renders them for the streaming server: statuses are rendered anonymously there
 * (`InlineRenderer.render(status, nil, :status)`), so the per-viewer keys `favourited`,
 * `reblogged`, `muted`, `bookmarked`, `pinned` and `filtered` are absent, and `application` only
 * appears for local authors. Clients such as masto camelCase the keys on their side.
 */

export interface MastodonCustomEmoji {
  readonly shortcode: string;
  readonly url: string;
  readonly static_url: string;
  readonly visible_in_picker: boolean;
}

export interface MastodonAccountField {
  readonly name: string;
  readonly value: string;
  readonly verified_at: string | null;
}

export interface MastodonAccount {
  readonly id: string;
  readonly username: string;
  /** `user` for accounts of this server, `user@host` for remote ones. */
  readonly acct: string;
  readonly display_name: string;
  readonly locked: boolean;
  readonly bot: boolean;
  readonly discoverable: boolean;
  readonly indexable: boolean;
  readonly group: boolean;
  /** Mastodon truncates account creation times to midnight UTC. */
  readonly created_at: string;
  readonly note: string;
  readonly url: string;
  readonly uri: string;
  readonly avatar: string;
  readonly avatar_static: string;
  readonly header: string;
  readonly header_static: string;
  readonly followers_count: number;
  readonly following_count: number;
  readonly statuses_count: number;
  /** A date without time (`2024-05-01`), or null. */
  readonly last_status_at: string | null;
  readonly hide_collections: boolean | null;
  /** Only rendered for local accounts. */
  readonly noindex?: boolean;
  readonly emojis: readonly MastodonCustomEmoji[];
  readonly roles?: readonly unknown[];
  readonly fields: readonly MastodonAccountField[];
}

export interface MastodonTag {
  readonly name: string;
  /** The tag page on the server that rendered the status, not on the author's server. */
  readonly url: string;
}

export interface MastodonMention {
  readonly id: string;
  readonly username: string;
  readonly url: string;
  readonly acct: string;
}

export interface MastodonMediaAttachment {
  readonly id: string;
  readonly type: "image" | "gifv" | "video" | "audio" | "unknown";
  readonly url: string;
  readonly preview_url: string;
  readonly remote_url: string | null;
  readonly preview_remote_url: string | null;
  readonly text_url: string | null;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly description: string | null;
  readonly blurhash: string | null;
}

export interface MastodonApplication {
  readonly name: string;
  readonly website: string | null;
}

export interface MastodonStatus {
  readonly id: string;
  readonly created_at: string;
  readonly in_reply_to_id: string | null;
  readonly in_reply_to_account_id: string | null;
  readonly sensitive: boolean;
  readonly spoiler_text: string;
  readonly visibility: "public" | "unlisted" | "private" | "direct";
  readonly language: string | null;
  /** Global identity of the post (the author's server's ActivityPub id). */
  readonly uri: string;
  readonly url: string | null;
  readonly replies_count: number;
  readonly reblogs_count: number;
  readonly favourites_count: number;
  readonly edited_at: string | null;
  readonly content: string;
  readonly reblog: MastodonStatus | null;
  readonly application?: MastodonApplication;
  readonly account: MastodonAccount;
  readonly media_attachments: readonly MastodonMediaAttachment[];
  readonly mentions: readonly MastodonMention[];
  readonly tags: readonly MastodonTag[];
  readonly emojis: readonly MastodonCustomEmoji[];
  readonly card: Readonly<Record<string, unknown>> | null;
  readonly poll: Readonly<Record<string, unknown>> | null;
}

/** A local account's acct carries no domain; that is how Mastodon tells local from remote. */
export function isLocalAccount(account: Pick<MastodonAccount, "acct">): boolean {
  return !account.acct.includes("@");
}
