/**
 * Builds Account entities as a Mastodon server renders them (REST::AccountSerializer): local
 * accounts have a bare `acct` and their files on the server itself; remote accounts are
 * `user@host`, link to their home server and have their avatars in the local media cache.
 */
import type { MastodonAccount, MastodonAccountField } from "./mastodon-entities.ts";

export interface AccountDraft {
  readonly id: string;
  readonly username: string;
  /** The account's home server, or null for an account of the rendering server. */
  readonly host: string | null;
  /** The server rendering the entity (where cached media live). */
  readonly serverDomain: string;
  readonly displayName?: string;
  readonly bot?: boolean;
  readonly locked?: boolean;
  readonly group?: boolean;
  /** ISO time; rendered truncated to midnight UTC as Mastodon does. */
  readonly createdAt?: string;
  readonly note?: string;
  readonly followersCount?: number;
  readonly followingCount?: number;
  readonly statusesCount?: number;
  /** ISO date or time; rendered as a date only. */
  readonly lastStatusAt?: string | null;
  readonly hasAvatar?: boolean;
  readonly fields?: readonly MastodonAccountField[];
}

/** Mastodon shards media paths by the record id in groups of three digits. */
function idPath(id: string): string {
  const padded = id.padStart(Math.ceil(id.length / 3) * 3, "0");
  return padded.match(/\d{3}/g)?.join("/") ?? id;
}

function midnight(iso: string): string {
  return `${iso.slice(0, 10)}T00:00:00.000Z`;
}

function paragraph(text: string): string {
  return text.length === 0 ? "" : `<p>${escapeHtml(text)}</p>`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A profile field linking a website, rendered as Mastodon shortens links. */
export function websiteField(domain: string, verifiedAt: string | null): MastodonAccountField {
  return {
    name: "Website",
    value: `<a href="https://${domain}" target="_blank" rel="nofollow noopener me" translate="no"><span class="invisible">https://</span><span class="">${escapeHtml(domain)}</span><span class="invisible"></span></a>`,
    verified_at: verifiedAt,
  };
}

export function accountUrls(draft: Pick<AccountDraft, "username" | "host" | "serverDomain">): {
  readonly url: string;
  readonly uri: string;
} {
  const home = draft.host ?? draft.serverDomain;
  return { url: `https://${home}/@${draft.username}`, uri: `https://${home}/users/${draft.username}` };
}

export function buildAccount(draft: AccountDraft): MastodonAccount {
  const local = draft.host === null;
  const { url, uri } = accountUrls(draft);
  const files = `https://${draft.serverDomain}/system/${local ? "" : "cache/"}accounts`;
  const avatar =
    draft.hasAvatar === false
      ? `https://${draft.serverDomain}/avatars/original/missing.png`
      : `${files}/avatars/${idPath(draft.id)}/original/${draft.id.slice(-8)}.png`;
  const header = `https://${draft.serverDomain}/headers/original/missing.png`;
  const base = {
    id: draft.id,
    username: draft.username,
    acct: local ? draft.username : `${draft.username}@${draft.host}`,
    display_name: draft.displayName ?? draft.username,
    locked: draft.locked ?? false,
    bot: draft.bot ?? false,
    discoverable: true,
    indexable: !(draft.bot ?? false),
    group: draft.group ?? false,
    created_at: midnight(draft.createdAt ?? "2022-11-06T00:00:00.000Z"),
    note: paragraph(draft.note ?? ""),
    url,
    uri,
    avatar,
    avatar_static: avatar,
    header,
    header_static: header,
    followers_count: draft.followersCount ?? 0,
    following_count: draft.followingCount ?? 0,
    statuses_count: draft.statusesCount ?? 0,
    last_status_at: draft.lastStatusAt === undefined || draft.lastStatusAt === null ? null : draft.lastStatusAt.slice(0, 10),
    hide_collections: local ? false : null,
    emojis: [],
    fields: draft.fields ?? [],
  };
  // `noindex` and `roles` are rendered only for accounts of the server itself.
  return local ? { ...base, noindex: false, roles: [] } : base;
}
