/**
 * Stream names -> channels, and statuses -> the channels they are published on.
 *
 * Mirrors `channelNameToIds` and `streamNameFromChannelName` of Mastodon's streaming/index.js and
 * the publishing side (FanOutOnWriteService): a public status goes to `timeline:public` plus the
 * local or remote variant, the `:media` variants when it has attachments, and one hashtag channel
 * per tag (plus `:local` for local authors). Replies to someone else reach only the hashtag
 * channels; boosts and non-public statuses reach none of these.
 */
import { channelTagName } from "./tag-names.ts";
import { isLocalAccount, type MastodonStatus } from "./mastodon-entities.ts";
import { StreamAuthenticationError, StreamRequestError } from "./streaming-errors.ts";

/** The extra fields of a subscribe frame or connection query (`tag`, `list`, ...). */
export type StreamParams = Readonly<Record<string, unknown>>;

export interface ResolvedChannel {
  /** Subscriptions are de-duplicated on this key, as Mastodon does on its joined channel ids. */
  readonly key: string;
  /** The `stream` array of every frame sent for this subscription. */
  readonly streamName: readonly string[];
}

/** The public timelines: channels without parameters that every token may stream. */
export const PLAIN_CHANNELS: ReadonlySet<string> = new Set([
  "public",
  "public:media",
  "public:local",
  "public:local:media",
  "public:remote",
  "public:remote:media",
]);

/** Accepted like the real server does, but the simulator has no home timelines to fill them. */
const PERSONAL_CHANNELS = new Set(["user", "user:notification", "direct"]);

/** Mastodon takes the first value when a query parameter is repeated. */
export function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function nonEmptyString(value: unknown): string | undefined {
  const first = firstValue(value);
  return typeof first === "string" && first.length > 0 ? first : undefined;
}

/** The connection query as Mastodon hands it to a subscription: repeated keys become arrays. */
export function paramsFromQuery(query: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    params[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return params;
}

/** Throws StreamRequestError / StreamAuthenticationError with the real server's messages. */
export function resolveChannel(name: unknown, params: StreamParams): ResolvedChannel {
  const channel = firstValue(name);
  if (typeof channel === "string" && PLAIN_CHANNELS.has(channel)) {
    return { key: `timeline:${channel}`, streamName: [channel] };
  }
  if (typeof channel === "string" && PERSONAL_CHANNELS.has(channel)) {
    return { key: `timeline:${channel}`, streamName: [channel] };
  }
  if (channel === "hashtag" || channel === "hashtag:local") {
    const tag = nonEmptyString(params["tag"]);
    if (tag === undefined) throw new StreamRequestError("Missing tag name parameter");
    const suffix = channel === "hashtag:local" ? ":local" : "";
    return { key: `timeline:hashtag:${channelTagName(tag)}${suffix}`, streamName: [channel, tag] };
  }
  if (channel === "list") {
    if (nonEmptyString(params["list"]) === undefined) {
      throw new StreamRequestError("Missing list name parameter");
    }
    // The simulated user owns no lists, so every list id is someone else's.
    throw new StreamAuthenticationError("Not authorized to stream this list");
  }
  throw new StreamRequestError("Unknown stream type");
}

function isReplyToSomeoneElse(status: MastodonStatus): boolean {
  return status.in_reply_to_account_id !== null && status.in_reply_to_account_id !== status.account.id;
}

/** The channel keys a status (or its deletion) is published on. */
export function channelsForStatus(status: MastodonStatus): string[] {
  if (status.reblog !== null || status.visibility !== "public") return [];
  const local = isLocalAccount(status.account);
  const keys: string[] = [];
  const tagNames = new Set(status.tags.map((tag) => channelTagName(tag.name)));
  for (const name of tagNames) {
    if (name.length === 0) continue;
    keys.push(`timeline:hashtag:${name}`);
    if (local) keys.push(`timeline:hashtag:${name}:local`);
  }
  if (isReplyToSomeoneElse(status)) return keys;
  const origin = local ? "local" : "remote";
  keys.push("timeline:public", `timeline:public:${origin}`);
  if (status.media_attachments.length > 0) {
    keys.push("timeline:public:media", `timeline:public:${origin}:media`);
  }
  return keys;
}
