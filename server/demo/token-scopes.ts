/**
 * The scope check a subscription passes (`checkScopes` in Mastodon's streaming/index.js): `read`
 * covers every stream, `read:statuses` every stream but `user:notification`, which wants
 * `read:notifications`. The streaming server read for this simulator lets the public and hashtag
 * streams through without any scope; newer servers are reported to check those too, so the
 * simulator can be asked to (`scopedPublicStreams`).
 */
import { StreamAuthenticationError } from "./streaming-errors.ts";

const PUBLIC_CHANNELS = new Set([
  "public",
  "public:media",
  "public:local",
  "public:local:media",
  "public:remote",
  "public:remote:media",
  "hashtag",
  "hashtag:local",
]);

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
