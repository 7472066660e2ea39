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
 *
 * Limits, so that no line can cost more than a bounded amount of work and memory (a refused line
 * counts once, under its reason, and nothing of it is counted):
 * - a line over `MAX_LINE_BYTES` is refused `too-long` (the aggregator's splitter enforces this);
 * - a line with a C0 control character other than TAB (U+0000-U+001F; one CR before the newline
 *   is allowed) is refused `control-characters`: no tag, id or JSON needs one, and NUL in
 *   particular would reach logs and downstream tools as a string terminator;
 * - a line with more than `MAX_TAGS_PER_LINE` tags (plain tokens or `tags` entries, counted before
 *   normalisation) is refused `too-many-tags`: 500 characters hold some 160 one-letter tags, but
 *   a post that lists dozens is spam, and a trend is what many posts share, not what one post lists;
 * - a tag whose normalised name is longer than `MAX_TAG_LENGTH` code points is dropped from its
 *   line and counted (`longTags`), the rest of the line still counts. Mastodon itself sets no
 *   length (app/models/tag.rb validates only the format, and the post limit bounds it);
 *   100 keeps a wall's row and the engine's names small;
 * - a post `id` longer than `MAX_ID_LENGTH` is `invalid-shape`: the aggregator remembers ids
 *   (POST_MEMORY_ENTRIES of them), and a status URI is about 60 characters.
 *
 * Connections: when the aggregator has an INGEST_TOKEN, the first line of every connection must be
 * `AUTH <token>`. The aggregator writes nothing on the socket except, just before it closes a
 * connection it refuses, one line `ERR <reason>` (`unauthorised`, `too-many-connections`), so
 * that the ingestor can say why in its log.
 */
import { normaliseHashtag } from "./hashtag.ts";
import { scanPostLine } from "./post-line-scan.ts";
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

/** Longest line the aggregator reads, newline excluded. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Most tags one line may carry. */
export const MAX_TAGS_PER_LINE = 64;
/** Longest tag name counted, in code points after normalisation. */
export const MAX_TAG_LENGTH = 100;
/** Longest post `id` accepted, in UTF-16 code units. */
export const MAX_ID_LENGTH = 1024;

/** Lines refused by the framing before they are parsed: over the length limit, or not UTF-8. */
export type FramingReject = "too-long" | "invalid-utf8";

export type RejectReason =
  | "invalid-json"
  | "invalid-shape"
  | "unknown-op"
  | "no-valid-tags"
  | "control-characters"
  | "too-many-tags";

/** Tags of an accepted line that were dropped: nothing survived normalisation, or too long. */
export interface DroppedTags {
  readonly invalidTags: number;
  readonly longTags: number;
}

export type ParsedLine =
  | ({ readonly kind: "tags"; readonly tags: string[]; readonly meta: PostMeta } & DroppedTags)
  | ({ readonly kind: "update"; readonly id: string; readonly tags: string[] } & DroppedTags)
  | { readonly kind: "delete"; readonly id: string }
  | { readonly kind: "hello"; readonly hello: IngestorHello }
  | { readonly kind: "stats"; readonly report: IngestReport }
  | { readonly kind: "blank" }
  | { readonly kind: "rejected"; readonly reason: RejectReason };

const BLANK: ParsedLine = { kind: "blank" };
const INVALID_SHAPE: ParsedLine = { kind: "rejected", reason: "invalid-shape" };
const CONTROL_CHARACTERS: ParsedLine = { kind: "rejected", reason: "control-characters" };
const TOO_MANY_TAGS: ParsedLine = { kind: "rejected", reason: "too-many-tags" };

/** C0 controls except TAB. LF never reaches here (it ends the line); CR only as the last character. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000A-\u001F]/;

/** Parses one line (without its newline; a trailing CR is ignored). Never throws. */
export function parseLine(line: string): ParsedLine {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (CONTROL_CHARACTER.test(text)) return CONTROL_CHARACTERS;
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  if (start === text.length) return BLANK;
  return text.charCodeAt(start) === 0x7b /* { */ ? parseJsonLine(text, start) : parsePlainLine(text);
}

function parsePlainLine(text: string): ParsedLine {
  const tokens = text.split(/[ \t]+/).filter((token) => token !== "");
  const parsed = normaliseTags(tokens);
  if (parsed === undefined) return TOO_MANY_TAGS;
  return parsed.tags.length === 0 ? { kind: "rejected", reason: "no-valid-tags" } : { kind: "tags", ...parsed, meta: {} };
}

/**
 * Each raw tag normalised; those with nothing left or too long are dropped and counted. Undefined
 * when there are too many to look at.
 */
function normaliseTags(raw: readonly unknown[]): ({ tags: string[] } & DroppedTags) | undefined {
  if (raw.length > MAX_TAGS_PER_LINE) return undefined;
  const tags: string[] = [];
  let invalidTags = 0;
  let longTags = 0;
  for (const item of raw) {
    const tag = typeof item === "string" ? normaliseHashtag(item) : "";
    if (tag === "") invalidTags++;
    else if (isTooLong(tag)) longTags++;
    else tags.push(tag);
  }
  return { tags, invalidTags, longTags };
}

/** Code points, counted only when the UTF-16 length says it might matter. */
function isTooLong(tag: string): boolean {
  if (tag.length <= MAX_TAG_LENGTH) return false;
  let codePoints = 0;
  for (const _ of tag) if (++codePoints > MAX_TAG_LENGTH) return true;
  return false;
}

// Hand-written checks rather than a schema library: this runs once per line on the hot path.
function parseJsonLine(text: string, start: number): ParsedLine {
  // The common post shape is scanned directly; everything else goes through JSON.parse.
  const scanned = scanPostLine(text, start);
  if (scanned !== undefined) return parsePost(scanned.tags, scanned);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "rejected", reason: "invalid-json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return INVALID_SHAPE;
  const record = value as Record<string, unknown>;
  if (record.op !== undefined) return parseOpLine(record);
  const { tags } = record;
  if (!Array.isArray(tags)) return INVALID_SHAPE;
  return parsePost(tags, record);
}

/** The metadata keys of a post line, as JSON.parse (or the scanner) gave them. */
interface MetaFields {
  readonly ts?: unknown;
  readonly id?: unknown;
  readonly lang?: unknown;
  readonly acct?: unknown;
}

function parsePost(rawTags: readonly unknown[], fields: MetaFields): ParsedLine {
  const meta = parseMeta(fields);
  if (meta === undefined) return INVALID_SHAPE;
  const tags = normaliseTags(rawTags);
  // A JSON line stands for a post: a post without (valid) tags still counts as a post.
  return tags === undefined ? TOO_MANY_TAGS : { kind: "tags", tags: tags.tags, invalidTags: tags.invalidTags, longTags: tags.longTags, meta };
}

const isId = (id: unknown): id is string => typeof id === "string" && id !== "" && id.length <= MAX_ID_LENGTH;

function parseMeta({ ts, id, lang, acct }: MetaFields): PostMeta | undefined {
  if (ts !== undefined && (typeof ts !== "number" || !Number.isFinite(ts))) return undefined;
  if (id !== undefined && (typeof id !== "string" || id.length > MAX_ID_LENGTH)) return undefined;
  if (lang !== undefined && lang !== null && typeof lang !== "string") return undefined;
  if (acct !== undefined && typeof acct !== "string") return undefined;
  // Assigned rather than spread: one object a post, built without copies.
  const meta: { ts?: number; id?: string; lang?: string; acct?: string } = {};
  if (ts !== undefined) meta.ts = ts;
  if (id !== undefined) meta.id = id;
  if (typeof lang === "string") meta.lang = lang;
  if (acct !== undefined) meta.acct = acct;
  return meta;
}

function parseOpLine(record: Record<string, unknown>): ParsedLine {
  const { id } = record;
  switch (record.op) {
    case "update": {
      if (!isId(id) || !Array.isArray(record.tags)) return INVALID_SHAPE;
      const tags = normaliseTags(record.tags);
      return tags === undefined ? TOO_MANY_TAGS : { kind: "update", id, ...tags };
    }
    case "delete":
      return isId(id) ? { kind: "delete", id } : INVALID_SHAPE;
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

/** Why the aggregator refuses a connection: sent to the peer as `ERR <reason>` before it closes. */
export type ConnectionRefusal = "unauthorised" | "too-many-connections";

const REFUSALS: readonly ConnectionRefusal[] = ["unauthorised", "too-many-connections"];
const AUTH_PREFIX = "AUTH ";
const ERR_PREFIX = "ERR ";

/** The first line when the aggregator requires a token, newline included. */
export function encodeAuthLine(token: string): string {
  return `${AUTH_PREFIX}${token}\n`;
}

/** The token of an `AUTH <token>` line (without its newline; a trailing CR is ignored), else undefined. */
export function parseAuthLine(line: string): string | undefined {
  if (!line.startsWith(AUTH_PREFIX)) return undefined;
  const token = line.slice(AUTH_PREFIX.length, line.endsWith("\r") ? -1 : undefined);
  return token === "" ? undefined : token;
}

/** The aggregator's last words to a refused connection, newline included. */
export function encodeRefusalLine(reason: ConnectionRefusal): string {
  return `${ERR_PREFIX}${reason}\n`;
}

/** The reason of an `ERR <reason>` line, else undefined. */
export function parseRefusalLine(line: string): ConnectionRefusal | undefined {
  if (!line.startsWith(ERR_PREFIX)) return undefined;
  const reason = line.slice(ERR_PREFIX.length).trimEnd();
  return REFUSALS.find((known) => known === reason);
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
