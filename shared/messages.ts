/**
 * The WebSocket wire between the aggregator and the dashboard, defined once.
 *
 * The zod schemas are the single source: the TypeScript types are inferred from them, the server
 * builds its messages against those types, and the browser validates every frame it receives with
 * `parseServerMessage` before it touches the UI. Fields may be added; names never change meaning.
 */
import { z } from "zod";

export const PROTOCOL_VERSION = 1;

const count = z.number().int().nonnegative();

export const sourceSchema = z.enum(["live", "demo"]);
export type Source = z.infer<typeof sourceSchema>;

export const topEntrySchema = z.object({
  tag: z.string(),
  count,
  rank: z.number().int().positive(),
  /**
   * Present only when the aggregator has more distinct tags than its capacity and this count is an
   * estimate: the true count is at most this far from `count` (a complete window may overcount by
   * it, a sliding window undercount). Absent means exact.
   */
  error: count.optional(),
  /**
   * The tag's count in this window at the last ticks, oldest first, ending with `count`: what a
   * sparkline draws. Snapshots carry it (as far back as the server has followed the tag, at most
   * `HISTORY_TICKS` values); `/api/top` leaves it out.
   */
  history: z.array(count).optional(),
  /**
   * Distinct accounts that used the tag in this window (JSON lines with `acct`; plain lines carry
   * no author and count as posts only). Absent from servers that do not count accounts.
   */
  accounts: count.optional(),
  /** Present only past the account capacity: the true number of accounts is at most this much higher. */
  accountsError: count.optional(),
  /** The tag's trend score (its best, decayed; 0 without one), on servers that score trends. */
  score: z.number().nonnegative().optional(),
  /** In trend rankings: distinct accounts in the trend window, and how many its baseline expects. */
  observed: count.optional(),
  expected: z.number().nonnegative().optional(),
});
export type TopEntry = z.infer<typeof topEntrySchema>;

export const windowTopSchema = z.object({
  /** Canonical window name, as listed in `hello.windows`: "15m", "1h", "complete". */
  window: z.string(),
  /** By posts: count descending, then tag. */
  top: z.array(topEntrySchema),
  /** By distinct accounts, then tag; absent from servers that do not count accounts. */
  byAccounts: z.array(topEntrySchema).optional(),
  /** By trend score, then tag (the same tags in every window; counts are the window's); absent without a trend. */
  byTrend: z.array(topEntrySchema).optional(),
});
export type WindowTop = z.infer<typeof windowTopSchema>;

/**
 * What an ingestor reports about itself (the line protocol's `stats` op), and, summed over the
 * connected ingestors, the snapshot's `ingest`.
 */
export const ingestReportSchema = z.object({
  /** `update` events received from every followed server, duplicates included. */
  statuses: count,
  /** Posts forwarded: first seen, not filtered. */
  forwarded: count,
  /** Hashtags in the forwarded posts. */
  tags: count,
  /** `status.update` events received. */
  edits: count,
  /** `delete` events received. */
  deletes: count,
  /** `update` events per second over the ingestor's last report interval. */
  statusesPerSecond: z.number().nonnegative(),
  /** Forwarded hashtags per second over the same interval. */
  tagsPerSecond: z.number().nonnegative(),
  /** Connections to Mastodon servers opened again after one was lost or failed. */
  reconnects: count,
  /** Copies of a post already seen, through another server or twice on one. */
  duplicates: count,
  /** Posts left out by the ingestor's filters, by reason (`language`, `tag`, `bot`, ...). */
  filtered: z.record(z.string(), count),
  /** Lines waiting for the aggregator. */
  queued: count,
  /** Lines lost because the queue was full. */
  dropped: count,
  /** Mastodon streaming connections open right now. */
  connected: count,
});
export type IngestReport = z.infer<typeof ingestReportSchema>;

export const statsSchema = z.object({
  /** Lines counted since start (lines that carried at least one valid tag). */
  lines: count,
  /** Hashtag occurrences counted since start. */
  tags: count,
  /** Distinct tags seen since start: exact, unless `distinctEstimated`. */
  distinct: count,
  /**
   * Present, true, once the aggregator has seen more distinct tags than its capacity: `distinct` is
   * then an estimate (HyperLogLog, standard error 0.81 %), to be shown as such (e.g. "≈").
   */
  distinctEstimated: z.literal(true).optional(),
  /** Lines refused at the intake (malformed, invalid UTF-8, no valid tag...). */
  rejected: count,
  /** Ingest connections open right now. */
  ingestors: count,
  /** Posts counted without an author (plain lines, JSON lines without `acct`): in post counts, not in account counts. */
  noAccount: count.optional(),
  /**
   * With event time (TIME=event): posts older than the watermark (counted in `complete` only),
   * posts older than some sliding window's start (not counted there), and posts dated in the
   * future (counted at their arrival).
   */
  late: count.optional(),
  beforeWindow: count.optional(),
  future: count.optional(),
});
export type Stats = z.infer<typeof statsSchema>;

/** ISO-8601 time the aggregator started: clients derive its uptime from it. */
const startedAt = z.string().optional();

/**
 * The server's settings. Sent first on every connection, and again to every client whenever a
 * setting changes at run time (`PUT /api/config`), so the newest `hello` always holds.
 */
export const helloSchema = z.object({
  type: z.literal("hello"),
  v: z.literal(PROTOCOL_VERSION),
  triggerMs: z.number().int().positive(),
  topN: z.number().int().positive(),
  windows: z.array(z.string()).min(1),
  source: sourceSchema,
  /** Where the posts come from: instance host names, or the simulated server's name. */
  instances: z.array(z.string()),
  startedAt,
  /** The display title the operator configured (`TITLE`); a screen's URL may override it. */
  title: z.string().optional(),
  /** The trend's settings, on servers that score trends: windows as durations ("1h", "1d"). */
  trend: z
    .object({ window: z.string(), baseline: z.string(), threshold: count, halfLife: z.string() })
    .optional(),
});
export type Hello = z.infer<typeof helloSchema>;

export const snapshotSchema = z.object({
  type: z.literal("snapshot"),
  v: z.literal(PROTOCOL_VERSION),
  /** Tick counter since the aggregator started; 0 is the state before the first tick. */
  epoch: z.number().int().nonnegative(),
  /** ISO-8601 time of the tick that produced this snapshot. */
  at: z.string(),
  triggerMs: z.number().int().positive(),
  source: sourceSchema,
  instances: z.array(z.string()),
  windows: z.array(windowTopSchema),
  stats: statsSchema,
  /**
   * The connected ingestors' own figures, summed; absent until one has reported. Beside `stats`,
   * not in it: `stats` holds only counts, which screens list by key.
   */
  ingest: ingestReportSchema.optional(),
  /**
   * The languages with tops of their own (BCP 47 codes, `und` for posts without one), busiest
   * first under LANGUAGES=auto:N; `/api/top?lang=` serves them. Absent when none are kept.
   */
  languages: z.array(z.string()).optional(),
  startedAt,
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const serverMessageSchema = z.discriminatedUnion("type", [helloSchema, snapshotSchema]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** What `/api/top?by=` and the screens' `by` rank by. */
export const rankBySchema = z.enum(["posts", "accounts", "trend"]);
export type RankBy = z.infer<typeof rankBySchema>;

/** Most entries one `/api/top` request may ask for. */
export const MAX_TOP_N = 1000;

/**
 * `GET /api/top?window=15m&n=20&by=accounts&lang=de` query: a query string is text, so `n` is read
 * as a number. Unknown parameters are refused rather than ignored. Without `n`, the server's
 * `TOP_N`; without `by`, posts; `lang` picks one kept language's top (ranked by posts only).
 */
export const topQuerySchema = z.strictObject({
  window: z.string().min(1).max(64).optional(),
  n: z.coerce.number().int().min(1).max(MAX_TOP_N).optional(),
  by: rankBySchema.default("posts"),
  lang: z.string().min(1).max(35).optional(),
});
export type TopQuery = z.infer<typeof topQuerySchema>;

/** `GET /api/tags/:tag` path parameters: the tag as the client spells it; the server normalises it. */
export const tagParamsSchema = z.object({
  tag: z.string().min(1).max(256),
});
export type TagParams = z.infer<typeof tagParamsSchema>;

/** `GET /api/top` response body. */
export const topResponseSchema = z.object({
  window: z.string(),
  by: rankBySchema.optional(),
  /** The language the top is of, when one was asked for. */
  lang: z.string().optional(),
  epoch: z.number().int().nonnegative(),
  at: z.string(),
  top: z.array(topEntrySchema),
});
export type TopResponse = z.infer<typeof topResponseSchema>;

/** `GET /api/tags/:tag` response body: the tag's count in every window. */
export const tagCountsResponseSchema = z.object({
  tag: z.string(),
  windows: z.record(z.string(), count),
  /** Present only when some count is an estimate: per window, how far it may be from the truth. */
  errors: z.record(z.string(), count).optional(),
  /** Distinct accounts in every window, when the server counts accounts. */
  accounts: z.record(z.string(), count).optional(),
  /** Present only past the account capacity: per window, how many accounts may be missing. */
  accountErrors: z.record(z.string(), count).optional(),
  /**
   * On servers that score trends: the decayed best score, accounts in the trend window, and the
   * baseline's expectation (absent while the baseline has no whole slot yet).
   */
  trend: z.object({ score: z.number().nonnegative(), observed: count, expected: z.number().nonnegative().optional() }).optional(),
  /** Per kept language where the tag has posts: its posts in every window (servers that keep languages). */
  languages: z.record(z.string(), z.record(z.string(), count)).optional(),
});
export type TagCountsResponse = z.infer<typeof tagCountsResponseSchema>;

/** How many ticks of history a snapshot's top entries carry at most. */
export const HISTORY_TICKS = 30;

/**
 * Bounds on the trigger interval, at start and at run time: below 100 ms ticks cost more than they
 * show; above an hour nothing is live.
 */
export const TRIGGER_BOUNDS_MS = { min: 100, max: 3_600_000 } as const;

/** What is wrong with a trigger interval in ms, as "must be ...", or undefined when it is within bounds. */
export function triggerBoundsProblem(ms: number): string | undefined {
  return ms >= TRIGGER_BOUNDS_MS.min && ms <= TRIGGER_BOUNDS_MS.max ? undefined : "must be between 100ms and 1 hour";
}

/** `PUT /api/config` request body: `{"triggerInterval":"2s"}`, a duration as in `TRIGGER_INTERVAL`. */
export const configUpdateSchema = z.strictObject({
  triggerInterval: z.string().min(1).max(64),
});
export type ConfigUpdate = z.infer<typeof configUpdateSchema>;

/** `GET /api/config` and `PUT /api/config` response body. */
export const configResponseSchema = z.object({
  triggerMs: z.number().int().positive(),
  /** The same interval in the canonical short form: "2s", "1m30s". */
  triggerInterval: z.string(),
  /** False when the server has no `ADMIN_TOKEN`: then `PUT /api/config` answers 403. */
  adminEnabled: z.boolean(),
});
export type ConfigResponse = z.infer<typeof configResponseSchema>;

/** Body of every 4xx/5xx answer of the REST API. */
export const errorResponseSchema = z.object({ error: z.string() });

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates one WebSocket text frame; never throws. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: "frame is not JSON" };
  }
  const result = serverMessageSchema.safeParse(json);
  if (!result.success) {
    return { ok: false, error: z.prettifyError(result.error) };
  }
  return { ok: true, value: result.data };
}
