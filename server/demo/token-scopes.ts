/**
 * The scope check a subscription passes (`checkScopes` in Mastodon's streaming/index.js): `read`
 * covers every stream, `read:statuses` every stream but `user:notification`, which wants
 * `read:notifications`. The streaming server read for this simulator lets the public and hashtag
 * streams through without any scope; newer servers are reported to check those too, so the
 * simulator can be asked to (`scopedPublicStreams`).
 */
import { PLAIN_CHANNELS } from "./stream-channels.ts";
import { StreamAuthenticationError } from "./streaming-errors.ts";

/** `PUBLIC_CHANNELS` of streaming/index.js: the public timelines and the hashtag streams. */
const PUBLIC_CHANNELS: ReadonlySet<string> = new Set([...PLAIN_CHANNELS, "hashtag", "hashtag:local"]);

export interface TokenScopes {
  readonly scopes: readonly string[];
  readonly scopedPublicStreams: boolean;
}

/** Throws the real server's refusal when the token's scopes do not cover the channel. */
export function checkScopes(channel: unknown, token: TokenScopes): void {
  if (typeof channel === "string" && PUBLIC_CHANNELS.has(channel) && !token.scopedPublicStreams) return;
  const required = ["read", channel === "user:notification" ? "read:notifications" : "read:statuses"];
  if (required.some((scope) => token.scopes.includes(scope))) return;
  throw new StreamAuthenticationError("Access token does not have the required scopes");
}
