/**
 * Builds Status entities in the shape Mastodon's streaming payloads have (see
 * mastodon-entities.ts), with content HTML the way Mastodon formats it: paragraphs, `h-card`
 * mentions, and hashtag links `<a href=".../tags/x" class="mention hashtag" rel="tag">#<span>x</span></a>`
 * (remote content is sanitised, which adds `nofollow noopener` and `target="_blank"`).
 */
import { escapeHtml } from "./account-builder.ts";
import {
  isLocalAccount,
  type MastodonAccount,
  type MastodonMediaAttachment,
  type MastodonStatus,
} from "./mastodon-entities.ts";

export interface TagDraft {
  /** The stored tag name sent in `tags[].name`. */
  readonly name: string;
  /** The spelling the author typed, shown in the content; defaults to `name`. */
  readonly display?: string;
  /** Remote posts may carry tags their content does not show. */
  readonly inContent?: boolean;
}

export interface StatusDraft {
  readonly id: string;
  readonly createdAt: string;
  readonly account: MastodonAccount;
  /** The server rendering the status: `tags[].url` points here. */
  readonly serverDomain: string;
  /** Plain text; blank lines separate paragraphs. */
  readonly text?: string;
  /** A plain string is used as both name and display. */
  readonly tags?: ReadonlyArray<string | TagDraft>;
  readonly language?: string | null;
  /** The id on the author's server, used in `uri`/`url` of remote statuses; defaults to `id`. */
  readonly originId?: string;
  readonly visibility?: MastodonStatus["visibility"];
  readonly sensitive?: boolean;
  readonly spoilerText?: string;
  readonly inReplyTo?: { readonly id: string; readonly accountId: string } | null;
  readonly mentions?: readonly MastodonAccount[];
  readonly mediaAttachments?: readonly MastodonMediaAttachment[];
  readonly editedAt?: string | null;
  readonly repliesCount?: number;
  readonly reblogsCount?: number;
  readonly favouritesCount?: number;
}

function homeOf(account: MastodonAccount, serverDomain: string): string {
  return account.acct.split("@")[1] ?? serverDomain;
}

function hashtagLink(tag: Required<Omit<TagDraft, "inContent">>, origin: string, remote: boolean): string {
  const attributes = remote ? 'rel="nofollow noopener tag" target="_blank"' : 'rel="tag"';
  const href = `https://${origin}/tags/${encodeURIComponent(tag.name)}`;
  return `<a href="${href}" class="mention hashtag" ${attributes}>#<span>${escapeHtml(tag.display)}</span></a>`;
}

function mentionCard(account: MastodonAccount): string {
  return `<span class="h-card" translate="no"><a href="${account.url}" class="u-url mention">@<span>${escapeHtml(account.username)}</span></a></span>`;
}

function renderContent(draft: StatusDraft, tags: readonly Required<TagDraft>[]): string {
  const remote = !isLocalAccount(draft.account);
  const origin = homeOf(draft.account, draft.serverDomain);
  const paragraphs = (draft.text ?? "").split(/\n{2,}/).map((part) => escapeHtml(part.trim())).filter((part) => part !== "");
  const mentions = (draft.mentions ?? []).map(mentionCard).join(" ");
  if (mentions !== "") paragraphs[0] = paragraphs[0] === undefined ? mentions : `${mentions} ${paragraphs[0]}`;
  const links = tags.filter((tag) => tag.inContent).map((tag) => hashtagLink(tag, origin, remote));
  if (links.length > 0) paragraphs.push(links.join(" "));
  return paragraphs.map((part) => `<p>${part}</p>`).join("");
}

export function buildStatus(draft: StatusDraft): MastodonStatus {
  const local = isLocalAccount(draft.account);
  const home = homeOf(draft.account, draft.serverDomain);
  const originId = draft.originId ?? draft.id;
  const tags = (draft.tags ?? []).map((tag) =>
    typeof tag === "string"
      ? { name: tag, display: tag, inContent: true }
      : { name: tag.name, display: tag.display ?? tag.name, inContent: tag.inContent ?? true },
  );
  const status: MastodonStatus = {
    id: draft.id,
    created_at: draft.createdAt,
    in_reply_to_id: draft.inReplyTo?.id ?? null,
    in_reply_to_account_id: draft.inReplyTo?.accountId ?? null,
    sensitive: draft.sensitive ?? false,
    spoiler_text: draft.spoilerText ?? "",
    visibility: draft.visibility ?? "public",
    language: draft.language === undefined ? "en" : draft.language,
    uri: `https://${home}/users/${draft.account.username}/statuses/${originId}`,
    url: `https://${home}/@${draft.account.username}/${originId}`,
    replies_count: draft.repliesCount ?? 0,
    reblogs_count: draft.reblogsCount ?? 0,
    favourites_count: draft.favouritesCount ?? 0,
    edited_at: draft.editedAt ?? null,
    content: renderContent(draft, tags),
    reblog: null,
    ...(local ? { application: { name: "Web", website: null } } : {}),
    account: draft.account,
    media_attachments: draft.mediaAttachments ?? [],
    mentions: (draft.mentions ?? []).map((account) => ({
      id: account.id,
      username: account.username,
      url: account.url,
      acct: account.acct,
    })),
    tags: tags.map((tag) => ({
      name: tag.name,
      url: `https://${draft.serverDomain}/tags/${encodeURIComponent(tag.name)}`,
    })),
    emojis: [],
    card: null,
    poll: null,
  };
  return status;
}
