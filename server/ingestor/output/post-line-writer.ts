/**
 * Writes what the tracker decided in the chosen line format:
 * - `json` (to the aggregator): a post line per new post, `update` and `delete` lines;
 * - `plain` (Spark's socket source): the post's hashtags, space-separated, for each new post that
 *   has any. A plain line can only add, so edits and deletions are not written, and a post
 *   without hashtags writes nothing (Spark would count an empty word).
 */
import { encodeDeleteLine, encodePlainLine, encodeTagLine, encodeUpdateLine } from "../../../shared/line-protocol.ts";
import type { LineOutput } from "./line-output.ts";
import { postLine, type PostFacts } from "../posts/status-facts.ts";

export type LineFormat = "json" | "plain";

export interface PostWriter {
  post(post: PostFacts): void;
  update(uri: string, tags: readonly string[]): void;
  delete(uri: string): void;
}

export function createPostWriter(format: LineFormat, output: Pick<LineOutput, "send">): PostWriter {
  if (format === "plain") {
    return {
      post: (post) => {
        if (post.tags.length > 0) output.send(encodePlainLine(post.tags));
      },
      update: () => {},
      delete: () => {},
    };
  }
  return {
    post: (post) => output.send(encodeTagLine(postLine(post))),
    update: (uri, tags) => output.send(encodeUpdateLine({ id: uri, tags })),
    delete: (uri) => output.send(encodeDeleteLine(uri)),
  };
}
