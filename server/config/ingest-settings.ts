/**
 * The ingestor's settings beyond which servers to follow: reconnecting, memory of posts, filters,
 * recording and replay, and where the lines go. Part of the one configuration (config.ts), kept in
 * its own file; config.ts merges these variables into its schema and reports their problems with
 * every other.
 */
import { z } from "zod";
import type { ExpiringMapLimits } from "../../shared/expiring-map.ts";
import type { BackoffPolicy } from "../../shared/backoff.ts";
import { parseBlockedAccounts, parseBlockedInstances, parseBlockedTags, parseLanguages, type PostFilterSettings } from "./post-filters.ts";
import { byteSize, checked, duration, positiveInt, wholeNumber } from "./variable-types.ts";

/** How long the aggregator and the ingestor remember a post (for edits, deletions and duplicates). */
export const DEFAULT_POST_MEMORY: ExpiringMapLimits = { maxEntries: 100_000, maxAgeMs: 3_600_000 };

/**
 * The aggregator's post memory by estimated bytes: 100,000 posts with a long `uri` and a dozen tags
 * each fit, and a writer sending many tags per post cannot make it grow past it.
 */
export const DEFAULT_POST_MEMORY_BYTES = 64 * 1024 ** 2;

/** CLI flag -> environment variable it overrides. */
export const INGEST_FLAGS = {
  "silence-timeout": "MASTODON_SILENCE_TIMEOUT",
  record: "INGEST_RECORD",
  replay: "INGEST_REPLAY",
  speed: "REPLAY_SPEED",
  listen: "INGEST_LISTEN",
  format: "INGEST_FORMAT",
  "metrics-port": "INGEST_METRICS_PORT",
} as const;

export const ingestVariables = {
  // Mastodon pings every 30 s: a shorter wait would drop healthy connections between two pings.
  MASTODON_SILENCE_TIMEOUT: duration("MASTODON_SILENCE_TIMEOUT", { min: 31_000, max: 3_600_000, text: "31s (longer than Mastodon's 30 s ping) and 1 hour" }).default(75_000),
  RECONNECT_BASE: duration("RECONNECT_BASE", { min: 1, max: 60_000, text: "1ms and 1 minute" }).default(250),
  RECONNECT_CAP: duration("RECONNECT_CAP", { min: 1, max: 3_600_000, text: "1ms and 1 hour" }).default(30_000),
  POST_MEMORY: duration("POST_MEMORY", { min: 1000, max: 7 * 86_400_000, text: "1s and 7 days" }).default(DEFAULT_POST_MEMORY.maxAgeMs),
  POST_MEMORY_ENTRIES: positiveInt(DEFAULT_POST_MEMORY.maxEntries, 10_000_000),
  POST_MEMORY_BYTES: byteSize("POST_MEMORY_BYTES", { min: 1024 ** 2, max: 64 * 1024 ** 3, text: "1MiB and 64GiB" }).default(DEFAULT_POST_MEMORY_BYTES),
  FILTER_LANGUAGES: checked(parseLanguages).optional(),
  FILTER_BLOCK_TAGS: checked(parseBlockedTags).default({ blockedTags: [], blockedTagPatterns: [] }),
  FILTER_BLOCK_ACCOUNTS: checked(parseBlockedAccounts).default([]),
  FILTER_BLOCK_INSTANCES: checked(parseBlockedInstances).default([]),
  FILTER_SKIP_SENSITIVE: z.stringbool().default(false),
  FILTER_SKIP_BOTS: z.stringbool().default(false),
  INGEST_RECORD: z.string().optional(),
  INGEST_REPLAY: z.string().optional(),
  REPLAY_SPEED: z.coerce.number({ error: "must be a number (0 = as fast as possible)" }).nonnegative({ error: "must be 0 or more" }).max(1_000_000).optional(),
  INGEST_LISTEN: wholeNumber(0, 65535).optional(),
  INGEST_FORMAT: z.enum(["json", "plain"], { error: 'must be "json" or "plain"' }).default("json"),
  // The ingestor serves no HTTP unless asked: /metrics and /healthz on HOST at this port.
  INGEST_METRICS_PORT: wholeNumber(0, 65535).optional(),
};

type IngestVariables = z.infer<z.ZodObject<typeof ingestVariables>>;

export interface IngestSettings {
  /** Capped, jittered backoff of every reconnection (Mastodon and aggregator). */
  readonly reconnect: BackoffPolicy;
  readonly postMemory: ExpiringMapLimits;
  /** Most estimated bytes of the aggregator's post memory; beyond, the oldest posts are forgotten. */
  readonly postMemoryBytes: number;
  readonly filters: PostFilterSettings;
  /** Where the ingestor writes: the aggregator (default) or any reader of its own port (`--listen`). */
  readonly output: { readonly listenPort: number | undefined; readonly format: "json" | "plain" };
  /** Where the ingestor serves /metrics and /healthz (on HOST), or undefined for nowhere. */
  readonly metricsPort: number | undefined;
  /** `--record FILE`: raw frames as received. */
  readonly record: string | undefined;
  /** `--replay FILE [--speed N]`: a recording instead of live servers. */
  readonly replay: { readonly file: string; readonly speed: number } | undefined;
}

/** The settings, once each variable is valid; problems between variables are pushed. */
export function ingestSettings(values: IngestVariables, problems: string[]): IngestSettings {
  if (values.RECONNECT_CAP < values.RECONNECT_BASE) problems.push("RECONNECT_CAP must not be smaller than RECONNECT_BASE");
  if (values.INGEST_RECORD !== undefined && values.INGEST_REPLAY !== undefined) problems.push("--record and --replay cannot be combined");
  if (values.REPLAY_SPEED !== undefined && values.INGEST_REPLAY === undefined) problems.push("--speed only applies to --replay");
  return {
    reconnect: { baseMs: values.RECONNECT_BASE, capMs: values.RECONNECT_CAP },
    postMemory: { maxEntries: values.POST_MEMORY_ENTRIES, maxAgeMs: values.POST_MEMORY },
    postMemoryBytes: values.POST_MEMORY_BYTES,
    filters: {
      languages: values.FILTER_LANGUAGES,
      ...values.FILTER_BLOCK_TAGS,
      blockedAccounts: values.FILTER_BLOCK_ACCOUNTS,
      blockedInstances: values.FILTER_BLOCK_INSTANCES,
      skipSensitive: values.FILTER_SKIP_SENSITIVE,
      skipBots: values.FILTER_SKIP_BOTS,
    },
    output: { listenPort: values.INGEST_LISTEN, format: values.INGEST_FORMAT },
    metricsPort: values.INGEST_METRICS_PORT,
    record: values.INGEST_RECORD,
    replay: values.INGEST_REPLAY === undefined ? undefined : { file: values.INGEST_REPLAY, speed: values.REPLAY_SPEED ?? 1 },
  };
}
