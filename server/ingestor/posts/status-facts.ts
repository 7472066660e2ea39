/**
 * One Mastodon status -> the few facts the ingestor works with, checked at the boundary: a payload
 * without the fields relied on is refused here (and counted) instead of throwing further in.
 */
import type { mastodon } from "masto";
import { normaliseHashtag } from "../../../shared/hashtag.ts";
import type { TagLine } from "../../../shared/line-protocol.ts";

export interface PostFacts {
  /** The status id on the server it came from: what that server's `delete` carries. */
  readonly localId: string;
  /** The post's global identity, the same through every server. */
  readonly uri: string;
  /** Normalised hashtag names, each once. */
  readonly tags: readonly string[];
  /** `created_at` in ms, when it parses. */
  readonly createdAt: number | undefined;
  readonly language: string | null;
  /** `user@domain`, also for the server's own accounts (whose `acct` has no domain). */
  readonly acct: string;
  /** The author's domain. */
  readonly domain: string;
  readonly sensitive: boolean;
  readonly bot: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * `status.tags` is authoritative (remote posts may carry tags their HTML does not show), and each
 * name is normalised as Mastodon's HashtagNormalizer does, so legacy mixed-case names count with
 * their canonical form. `instanceDomain` completes the `acct` of the server's own accounts.
 */
export function statusFacts(status: mastodon.v1.Status | unknown, instanceDomain: string): PostFacts | undefined {
  if (!isRecord(status) || !isRecord(status.account) || !Array.isArray(status.tags)) return undefined;
  const { id, uri, createdAt, language, sensitive, account } = status;
  if (typeof id !== "string" || typeof uri !== "string" || uri === "" || typeof account.acct !== "string") return undefined;
  const tags = new Set<string>();
  for (const tag of status.tags as unknown[]) {
    const name = isRecord(tag) && typeof tag.name === "string" ? normaliseHashtag(tag.name) : "";
    if (name !== "") tags.add(name);
  }
  const [user, remoteDomain] = account.acct.split("@");
  const domain = (remoteDomain ?? instanceDomain).toLowerCase();
  const created = typeof createdAt === "string" ? Date.parse(createdAt) : Number.NaN;
  return {
    localId: id,
    uri,
    tags: [...tags],
    createdAt: Number.isFinite(created) ? created : undefined,
    language: typeof language === "string" && language !== "" ? language.toLowerCase() : null,
    acct: `${user ?? ""}@${domain}`.toLowerCase(),
    domain,
    sensitive: sensitive === true,
    bot: account.bot === true,
  };
}

/** The JSON line of a new post. */
export function postLine(facts: PostFacts): TagLine {
  return {
    tags: facts.tags,
    ...(facts.createdAt !== undefined && { ts: facts.createdAt }),
    id: facts.uri,
    ...(facts.language !== null && { lang: facts.language }),
    acct: facts.acct,
  };
}
