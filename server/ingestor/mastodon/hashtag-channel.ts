/**
 * A hashtag stream that Mastodon never feeds. The streaming server names the channel it listens
 * on with its own normaliser (streaming/utils.js keeps only letters, digits, `_`, `·` and ZWNJ),
 * while posts are published to the channel named by the Ruby HashtagNormalizer, which keeps the
 * Alphabetic combining marks (vowel signs such as the `ि` of `हिन्दी`) and the Thai marks
 * U+0E47-U+0E4E. For a tag with such a mark the two names differ and the subscription hears
 * nothing (see shared/hashtag.ts for the Ruby side).
 */
import type { MastodonStream } from "../../config/mastodon-stream.ts";

const KEPT_MARK = /(?=\p{M})\p{Alphabetic}|[\u0E47-\u0E4E]/u;

/** The warning to log at start, or undefined when the stream is not affected. */
export function silentHashtagWarning(stream: MastodonStream): string | undefined {
  if (stream.kind !== "hashtag" || !KEPT_MARK.test(stream.tag.normalize("NFKC"))) return undefined;
  return (
    `hashtag:${stream.tag} has combining marks, which Mastodon's streaming server drops from the channel name ` +
    "but not from the channel its posts go to: this stream will likely receive nothing. " +
    "Follow MASTODON_STREAM=public (or public:local) instead; the tag is counted there too"
  );
}
