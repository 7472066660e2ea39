/**
 * What one line of the line protocol does to the counts, wherever it came from: the TCP intake
 * (line-intake.ts) and, in cluster mode, the stream (stream-intake.ts) apply lines through here, so
 * that a line counts the same either way. The time a post counts at is passed in: the wall clock on
 * one machine, the line's place in the log in cluster mode.
 */
import { isUtf8 } from "node:buffer";
import { MAX_LINE_BYTES, MAX_TAG_LENGTH, parseLine, type ParsedLine } from "../../../shared/line-protocol.ts";
import type { CountingEngine } from "../engine/counting-engine.ts";
import type { IntakeStats } from "../state/intake-stats.ts";
import type { PostLedger } from "../state/post-ledger.ts";

/**
 * Longest line offered to the engine's byte fast path (plain-line.ts), which counts `[a-z0-9_]`
 * tokens as they are and so never sees the protocol's limits. A line this short cannot break them:
 * each of its tokens has at most MAX_TAG_LENGTH characters, one byte each, and it holds at most
 * (MAX_TAG_LENGTH + 1) / 2 tokens, fewer than MAX_TAGS_PER_LINE. Longer lines take the string path,
 * where parseLine applies the limits.
 */
export const FAST_PATH_MAX_BYTES = MAX_TAG_LENGTH;

export interface LineTarget {
  readonly engine: CountingEngine;
  readonly posts: PostLedger;
  readonly stats: IntakeStats;
}

/** Lines about their sender rather than about posts: what a connection does with them is its own. */
export type PeerLine = Extract<ParsedLine, { kind: "hello" | "stats" }>;

/** Counts a plain line through the byte fast path; false when it must take the string path. */
export function applyPlainBytes(bytes: Uint8Array, start: number, end: number, { engine }: LineTarget): boolean {
  return end - start <= FAST_PATH_MAX_BYTES && engine.ingestPlainLine(bytes, start, end);
}

/**
 * Applies a parsed line at `now`: a post counted, an edit or a deletion applied, a refusal counted by
 * reason. Returns a hello or stats line to its caller, which knows who sent it.
 */
export function applyLine(parsed: ParsedLine, { posts, stats }: LineTarget, now: number): PeerLine | undefined {
  switch (parsed.kind) {
    case "tags":
      posts.post(parsed.tags, parsed.meta);
      stats.dropped(parsed);
      if (parsed.meta.ts !== undefined) stats.postArrived(parsed.meta.ts, now);
      return undefined;
    case "update":
      posts.update(parsed.id, parsed.tags);
      stats.dropped(parsed);
      return undefined;
    case "delete":
      posts.delete(parsed.id);
      return undefined;
    case "rejected":
      stats.reject(parsed.reason);
      return undefined;
    case "blank":
      return undefined;
    case "hello":
    case "stats":
      return parsed;
  }
}

/**
 * One whole line as bytes (one stream message), without its newline: refused by the framing's rules
 * (too long, not UTF-8) as the TCP splitter would, else counted through the fast path or parsed.
 */
export function applyLineBytes(bytes: Uint8Array, target: LineTarget, now: number): PeerLine | undefined {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > MAX_LINE_BYTES) {
    target.stats.reject("too-long");
    return undefined;
  }
  if (applyPlainBytes(bytes, 0, end, target)) return undefined;
  const line = bytes.subarray(0, end);
  if (!isUtf8(line)) {
    target.stats.reject("invalid-utf8");
    return undefined;
  }
  return applyLine(parseLine(Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString("utf8")), target, now);
}
