/**
 * The ingest line protocol: newline-delimited UTF-8 over TCP, defined once for both ends.
 *
 * Two forms share one port:
 * - plain: space-separated hashtags, exactly what Spark's socket source reads
 *   (`printf 'rust python\n' | nc 127.0.0.1 9876`);
 * - JSON: one object a line, `{"tags":[...],"ts":<created_at ms>,"id":"<status uri>","lang":"en","acct":"user@host"}`
 *   for a new post, and lines with an `op`:
 *   - `{"op":"update","id":"<uri>","tags":[...]}`: the post was edited and now has these tags;
 *   - `{"op":"delete","id":"<uri>"}`: the post was deleted, take back what it counted;
 *   - `{"op":"hello","source":"live","instances":[...]}`: who the ingestor is, once a connection;
 *   - `{"op":"stats",...}`: the ingestor's own figures (see `ingestReportSchema`).
 *
 * Tags are normalised on the way in whatever the sender did, so `Rust` and `rust` count together;
 * normalisation is idempotent, so names the ingestor already normalised pass through unchanged.
 */
import { normaliseHashtag } from "./hashtag.ts";
import { ingestReportSchema, type IngestReport, type Source } from "./messages.ts";

/** Metadata a JSON line may carry about the post it stands for. */
export interface PostMeta {
  /** The post's `created_at`, ms since the epoch. */
  readonly ts?: number;
  /** The post's global identity (its `uri`). */
  readonly id?: string;
  readonly lang?: string;
  readonly acct?: string;
}

export interface TagLine extends PostMeta {
  readonly tags: readonly string[];
}

/** An edited post's tags as they are now; `id` is its `uri`. */
export interface PostUpdate {
  readonly id: string;
  readonly tags: readonly string[];
}

/** Sent once by an ingestor when it connects, so the dashboard can say where posts come from. */
export interface IngestorHello {
  readonly source: Source;
  readonly instances: readonly string[];
}

export type RejectReason = "invalid-json" | "invalid-shape" | "unknown-op" | "no-valid-tags";

export type ParsedLine =
  | { readonly kind: "tags"; readonly tags: string[]; readonly invalidTags: number; readonly meta: PostMeta }
  | { readonly kind: "update"; readonly id: string; readonly tags: string[]; readonly invalidTags: number }
  | { readonly kind: "delete"; readonly id: string }
  | { readonly kind: "hello"; readonly hello: IngestorHello }
  | { readonly kind: "stats"; readonly report: IngestReport }
  | { readonly kind: "blank" }
  | { readonly kind: "rejected"; readonly reason: RejectReason };

const BLANK: ParsedLine = { kind: "blank" };
const INVALID_SHAPE: ParsedLine = { kind: "rejected", reason: "invalid-shape" };

/** Parses one line (without its newline; a trailing CR is ignored). Never throws. */
export function parseLine(line: string): ParsedLine {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  if (start === text.length) return BLANK;
  return text.charCodeAt(start) === 0x7b /* { */ ? parseJsonLine(text) : parsePlainLine(text);
}

function parsePlainLine(text: string): ParsedLine {
  const tags: string[] = [];
  let invalid = 0;
  for (const token of text.split(/[ \t]+/)) {
    if (token === "") continue;
    const tag = normaliseHashtag(token);
    if (tag === "") invalid++;
    else tags.push(tag);
  }
  return tags.length === 0 ? { kind: "rejected", reason: "no-valid-tags" } : { kind: "tags", tags, invalidTags: invalid, meta: {} };
}

// Hand-written checks rather than a schema library: this runs once per line on the hot path.
function parseJsonLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "rejected", reason: "invalid-json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return INVALID_SHAPE;
  const record = value as Record<string, unknown>;
  if (record.op !== undefined) return parseOpLine(record);
  const tags = parseTags(record.tags);
  const meta = parseMeta(record);
  if (tags === undefined || meta === undefined) return INVALID_SHAPE;
  // A JSON line stands for a post: a post without (valid) tags still counts as a post.
  return { kind: "tags", ...tags, meta };
}

function parseTags(raw: unknown): { tags: string[]; invalidTags: number } | undefined {
  if (!Array.isArray(raw)) return undefined;
  const tags: string[] = [];
  let invalidTags = 0;
  for (const item of raw) {
    const tag = typeof item === "string" ? normaliseHashtag(item) : "";
    if (tag === "") invalidTags++;
    else tags.push(tag);
  }
  return { tags, invalidTags };
}

function parseMeta(record: Record<string, unknown>): PostMeta | undefined {
  const { ts, id, lang, acct } = record;
  if (ts !== undefined && (typeof ts !== "number" || !Number.isFinite(ts))) return undefined;
  if (id !== undefined && typeof id !== "string") return undefined;
  if (lang !== undefined && lang !== null && typeof lang !== "string") return undefined;
  if (acct !== undefined && typeof acct !== "string") return undefined;
  return {
    ...(ts !== undefined && { ts }),
    ...(id !== undefined && { id }),
    ...(typeof lang === "string" && { lang }),
    ...(acct !== undefined && { acct }),
  };
}

function parseOpLine(record: Record<string, unknown>): ParsedLine {
  const { id } = record;
  switch (record.op) {
    case "update": {
      const tags = parseTags(record.tags);
      return typeof id === "string" && id !== "" && tags !== undefined ? { kind: "update", id, ...tags } : INVALID_SHAPE;
    }
    case "delete":
      return typeof id === "string" && id !== "" ? { kind: "delete", id } : INVALID_SHAPE;
    case "hello":
      return parseHello(record);
    case "stats": {
      // Rare (every few seconds), so the schema is worth its cost here; it drops the `op` key.
      const report = ingestReportSchema.safeParse(record);
      return report.success ? { kind: "stats", report: report.data } : INVALID_SHAPE;
    }
    default:
      return { kind: "rejected", reason: "unknown-op" };
  }
}

function parseHello(record: Record<string, unknown>): ParsedLine {
  const { source, instances } = record;
  if (source !== "live" && source !== "demo") return INVALID_SHAPE;
  if (!Array.isArray(instances) || !instances.every((i): i is string => typeof i === "string")) return INVALID_SHAPE;
  return { kind: "hello", hello: { source, instances } };
}

/** One JSON tag line, newline included. */
export function encodeTagLine(line: TagLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** One plain line, newline included: what Spark's socket source expects. */
export function encodePlainLine(tags: readonly string[]): string {
  return `${tags.join(" ")}\n`;
}

/** The ingestor's greeting line, newline included. */
export function encodeHelloLine(hello: IngestorHello): string {
  return `${JSON.stringify({ op: "hello", ...hello })}\n`;
}

/** An edit: the post's tags as they are now, newline included. */
export function encodeUpdateLine(update: PostUpdate): string {
  return `${JSON.stringify({ op: "update", id: update.id, tags: update.tags })}\n`;
}

/** A deletion, newline included. */
export function encodeDeleteLine(id: string): string {
  return `${JSON.stringify({ op: "delete", id })}\n`;
}

/** The ingestor's figures, newline included. */
export function encodeStatsLine(report: IngestReport): string {
  return `${JSON.stringify({ op: "stats", ...report })}\n`;
}
