/** One Mastodon status -> one ingest line: its normalised tags and the facts that travel with them. */
import type { mastodon } from "masto";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import type { TagLine } from "../../shared/line-protocol.ts";

/**
 * `status.tags` is authoritative (remote posts may carry tags not visible in the HTML), and each
 * name is normalised as Mastodon's HashtagNormalizer does, so legacy mixed-case names count with
 * their canonical form. A tag counts once per post.
 */
export function statusToTagLine(status: mastodon.v1.Status): TagLine {
  const tags = new Set<string>();
  for (const { name } of status.tags) {
    const tag = normaliseHashtag(name);
    if (tag !== "") tags.add(tag);
  }
  const ts = Date.parse(status.createdAt);
  return {
    tags: [...tags],
    ...(Number.isFinite(ts) && { ts }),
    id: status.uri,
    ...(typeof status.language === "string" && { lang: status.language }),
    acct: status.account.acct,
  };
}
