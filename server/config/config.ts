/**
 * The one place that reads the environment and the command line.
 *
 * Precedence, lowest first: built-in defaults < `.env` file < real environment < CLI flags. An empty
 * variable counts as unset. Everything is validated at once and every problem is reported in one
 * `ConfigError`; the rest of the program receives a typed, frozen `Config`.
 */
import { readFileSync } from "node:fs";
import { parseArgs, parseEnv } from "node:util";
import { z } from "zod";
import { COMPLETE_WINDOW, parseDuration } from "../../shared/duration.ts";
import type { ExpiringMapLimits } from "../../shared/expiring-map.ts";
import type { WindowSpec } from "../aggregator/counting-engine.ts";
import type { BackoffPolicy } from "../ingestor/backoff.ts";
import { anyTokenConfigured, parseInstanceUrls, resolveInstances, type MastodonInstance } from "./mastodon-instances.ts";
import { parseMastodonStream, type MastodonStream } from "./mastodon-stream.ts";
import {
  parseBlockedAccounts,
  parseBlockedInstances,
  parseBlockedTags,
  parseLanguages,
  type PostFilterSettings,
} from "./post-filters.ts";

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** CLI flag -> environment variable it overrides. */
const FLAGS = {
  "mastodon-url": "MASTODON_URL",
  stream: "MASTODON_STREAM",
  "streaming-url": "MASTODON_STREAMING_URL",
  "ingest-host": "INGEST_HOST",
  "ingest-port": "INGEST_PORT",
  host: "HOST",
  port: "HTTP_PORT",
  trigger: "TRIGGER_INTERVAL",
  windows: "WINDOWS",
  "top-n": "TOP_N",
  "log-level": "LOG_LEVEL",
  "log-format": "LOG_FORMAT",
  "queue-lines": "INGEST_QUEUE_LINES",
  "demo-rate": "DEMO_RATE",
  "demo-port": "DEMO_PORT",
  "demo-seed": "DEMO_SEED",
  "silence-timeout": "MASTODON_SILENCE_TIMEOUT",
  record: "INGEST_RECORD",
  replay: "INGEST_REPLAY",
  speed: "REPLAY_SPEED",
  listen: "INGEST_LISTEN",
  format: "INGEST_FORMAT",
} as const;

/** How long the aggregator and the ingestor remember a post (for edits, deletions and duplicates). */
export const DEFAULT_POST_MEMORY: ExpiringMapLimits = { maxEntries: 100_000, maxAgeMs: 3_600_000 };

const wholeNumber = (min: number, max: number) =>
  z.coerce.number({ error: `must be a whole number from ${min} to ${max}` }).int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });
const port = (fallback: number) => wholeNumber(0, 65535).default(fallback);
const positiveInt = (fallback: number, max: number) => wholeNumber(1, max).default(fallback);

/** Bounds on the trigger interval: below 100 ms ticks cost more than they show; above an hour nothing is live. */
export const TRIGGER_BOUNDS_MS = { min: 100, max: 3_600_000 } as const;

const duration = (name: string, bounds?: { readonly min: number; readonly max: number; readonly text: string }) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `${name}: "${text}" is not a duration (e.g. "10 seconds", "500ms", "2s", "1 minute")` });
      return z.NEVER;
    }
    if (bounds !== undefined && (ms < bounds.min || ms > bounds.max)) {
      ctx.addIssue({ code: "custom", message: `${name} must be between ${bounds.text}` });
      return z.NEVER;
    }
    return ms;
  });

const windows = z.string().transform((text, ctx) => {
  const specs: WindowSpec[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    const ms = parseDuration(part);
    if (part === COMPLETE_WINDOW) specs.push({ kind: "complete" });
    else if (ms !== undefined) specs.push({ kind: "sliding", lengthMs: ms });
    else ctx.addIssue({ code: "custom", message: `WINDOWS: "${part}" is neither "complete" nor a duration` });
  }
  return specs;
});

const stream = z.string().transform((text, ctx): MastodonStream => {
  const parsed = parseMastodonStream(text);
  if (typeof parsed === "string") {
    ctx.addIssue({ code: "custom", message: `MASTODON_STREAM: ${parsed}` });
    return z.NEVER;
  }
  return parsed;
});

/** A variable whose parser pushes its own problems, each reported as written. */
const checked = <T>(parse: (text: string, problems: string[]) => T) =>
  z.string().transform((text, ctx) => {
    const problems: string[] = [];
    const value = parse(text, problems);
    for (const message of problems) ctx.addIssue({ code: "custom", message });
    return problems.length > 0 ? z.NEVER : value;
  });

const schema = z.object({
  MASTODON_URL: checked(parseInstanceUrls).default(() => [new URL("https://mastodon.social")]),
  MASTODON_TOKEN: z.string().optional(),
  MASTODON_STREAM: stream.default({ kind: "public" }),
  MASTODON_STREAMING_URL: z.url({ protocol: /^wss?$/, error: "MASTODON_STREAMING_URL must be a ws(s) URL" }).optional(),
  MASTODON_SILENCE_TIMEOUT: duration("MASTODON_SILENCE_TIMEOUT", { min: 1000, max: 3_600_000, text: "1s and 1 hour" }).default(75_000),
  RECONNECT_BASE: duration("RECONNECT_BASE", { min: 1, max: 60_000, text: "1ms and 1 minute" }).default(250),
  RECONNECT_CAP: duration("RECONNECT_CAP", { min: 1, max: 3_600_000, text: "1ms and 1 hour" }).default(30_000),
  POST_MEMORY: duration("POST_MEMORY", { min: 1000, max: 7 * 86_400_000, text: "1s and 7 days" }).default(DEFAULT_POST_MEMORY.maxAgeMs),
  POST_MEMORY_ENTRIES: positiveInt(DEFAULT_POST_MEMORY.maxEntries, 10_000_000),
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
  INGEST_HOST: z.string().default("127.0.0.1"),
  INGEST_PORT: port(9876),
  INGEST_QUEUE_LINES: positiveInt(100_000, 10_000_000),
  HOST: z.string().default("127.0.0.1"),
  HTTP_PORT: port(3000),
  TRIGGER_INTERVAL: duration("TRIGGER_INTERVAL")
    .refine((ms) => ms >= TRIGGER_BOUNDS_MS.min && ms <= TRIGGER_BOUNDS_MS.max, {
      error: `TRIGGER_INTERVAL must be between 100ms and 1 hour`,
    })
    .default(10_000),
  WINDOWS: windows.default([{ kind: "sliding", lengthMs: 15 * 60_000 }, { kind: "complete" }]),
  TOP_N: positiveInt(20, 1000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  DEMO: z.stringbool().default(false),
  DEMO_RATE: z.coerce.number().positive().max(100_000).default(20),
  DEMO_PORT: port(4000),
  DEMO_SEED: z.coerce.number().int().default(1),
});

type Env = z.infer<typeof schema>;

export interface Config {
  readonly mastodon: {
    /** The first listed server, and its token. */
    readonly url: string;
    readonly token: string | undefined;
    readonly stream: MastodonStream;
    readonly streamingUrl: string | undefined;
    /** Every listed server, each with its own token. */
    readonly instances: readonly MastodonInstance[];
    /** No event and no ping for this long: the connection is dropped and made again. */
    readonly silenceTimeoutMs: number;
  };
  /** Capped, jittered backoff of every reconnection (Mastodon and aggregator). */
  readonly reconnect: BackoffPolicy;
  readonly postMemory: ExpiringMapLimits;
  readonly filters: PostFilterSettings;
  /** Where the ingestor writes: the aggregator (default) or any reader of its own port (`--listen`). */
  readonly output: { readonly listenPort: number | undefined; readonly format: "json" | "plain" };
  /** `--record FILE`: raw frames as received. */
  readonly record: string | undefined;
  /** `--replay FILE [--speed N]`: a recording instead of live servers. */
  readonly replay: { readonly file: string; readonly speed: number } | undefined;
  readonly ingest: { readonly host: string; readonly port: number; readonly queueLines: number };
  readonly http: { readonly host: string; readonly port: number };
  readonly triggerMs: number;
  readonly windows: readonly WindowSpec[];
  readonly topN: number;
  readonly log: { readonly level: Env["LOG_LEVEL"]; readonly format: Env["LOG_FORMAT"] };
  /** True when the ingestor must use the built-in simulated server: forced, or no token given. */
  readonly demo: boolean;
  readonly demoServer: { readonly rate: number; readonly port: number; readonly seed: number };
  /** Arguments left after the flags (e.g. a file name). */
  readonly positionals: readonly string[];
}

export interface ConfigSources {
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Contents of a `.env` file, if one exists. */
  readonly envFile?: string;
}

export function loadConfig({ argv = [], env = {}, envFile }: ConfigSources): Config {
  const problems: string[] = [];
  const merged: Record<string, string> = {};
  const layer = (source: Readonly<Record<string, string | undefined>>): void => {
    for (const [key, value] of Object.entries(source)) if (value !== undefined && value !== "") merged[key] = value;
  };
  if (envFile !== undefined) layer(parseEnv(envFile));
  layer(env);
  const { flags, positionals } = parseFlags(argv, problems);
  layer(flags);

  const result = schema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? "");
      problems.push(issue.message.startsWith(key) ? issue.message : `${key}: ${issue.message}`);
    }
  }
  if (result.success) {
    for (const spec of result.data.WINDOWS) {
      if (spec.kind === "sliding" && spec.lengthMs < result.data.TRIGGER_INTERVAL) {
        problems.push(`WINDOWS: a sliding window (${spec.lengthMs} ms) cannot be shorter than TRIGGER_INTERVAL (${result.data.TRIGGER_INTERVAL} ms)`);
      }
    }
  }
  if (!result.success) throw new ConfigError(problems);
  const values = result.data;
  const demo = values.DEMO || !anyTokenConfigured(merged);
  const instances = resolveInstances(
    values.MASTODON_URL,
    {
      variables: merged,
      defaultToken: values.MASTODON_TOKEN,
      streamingUrl: values.MASTODON_STREAMING_URL,
      tokensRequired: !demo && values.INGEST_REPLAY === undefined,
    },
    problems,
  );
  if (values.RECONNECT_CAP < values.RECONNECT_BASE) problems.push("RECONNECT_CAP must not be smaller than RECONNECT_BASE");
  if (values.INGEST_RECORD !== undefined && values.INGEST_REPLAY !== undefined) problems.push("--record and --replay cannot be combined");
  if (values.REPLAY_SPEED !== undefined && values.INGEST_REPLAY === undefined) problems.push("--speed only applies to --replay");
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(values, { instances, demo }, positionals);
}

function parseFlags(argv: readonly string[], problems: string[]) {
  const options = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" as const }]));
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, demo: { type: "boolean" } },
      allowPositionals: true,
      // Not strict: unknown flags are reported with every other problem instead of alone.
      strict: false,
    });
    const flags: Record<string, string> = {};
    for (const [flag, value] of Object.entries(values)) {
      const variable = (FLAGS as Record<string, string>)[flag];
      if (flag === "demo") continue;
      if (variable === undefined) problems.push(`unknown option --${flag}`);
      else if (typeof value !== "string") problems.push(`option --${flag} needs a value`);
      else flags[variable] = value;
    }
    if (values.demo === true) flags.DEMO = "true";
    return { flags, positionals };
  } catch (error) {
    problems.push((error as Error).message);
    return { flags: {}, positionals: [] };
  }
}

interface Resolved {
  readonly instances: readonly MastodonInstance[];
  readonly demo: boolean;
}

function toConfig(env: Env, { instances, demo }: Resolved, positionals: readonly string[]): Config {
  const first = instances[0] as MastodonInstance;
  return deepFreeze({
    mastodon: {
      url: first.url,
      token: first.token,
      stream: env.MASTODON_STREAM,
      streamingUrl: env.MASTODON_STREAMING_URL,
      instances,
      silenceTimeoutMs: env.MASTODON_SILENCE_TIMEOUT,
    },
    reconnect: { baseMs: env.RECONNECT_BASE, capMs: env.RECONNECT_CAP },
    postMemory: { maxEntries: env.POST_MEMORY_ENTRIES, maxAgeMs: env.POST_MEMORY },
    filters: {
      languages: env.FILTER_LANGUAGES,
      ...env.FILTER_BLOCK_TAGS,
      blockedAccounts: env.FILTER_BLOCK_ACCOUNTS,
      blockedInstances: env.FILTER_BLOCK_INSTANCES,
      skipSensitive: env.FILTER_SKIP_SENSITIVE,
      skipBots: env.FILTER_SKIP_BOTS,
    },
    output: { listenPort: env.INGEST_LISTEN, format: env.INGEST_FORMAT },
    record: env.INGEST_RECORD,
    replay: env.INGEST_REPLAY === undefined ? undefined : { file: env.INGEST_REPLAY, speed: env.REPLAY_SPEED ?? 1 },
    ingest: { host: env.INGEST_HOST, port: env.INGEST_PORT, queueLines: env.INGEST_QUEUE_LINES },
    http: { host: env.HOST, port: env.HTTP_PORT },
    triggerMs: env.TRIGGER_INTERVAL,
    windows: env.WINDOWS,
    topN: env.TOP_N,
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    demo,
    demoServer: { rate: env.DEMO_RATE, port: env.DEMO_PORT, seed: env.DEMO_SEED },
    positionals,
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Reads this process's config: `./.env` if present, then `process.env`, then `process.argv`. */
export function readConfig(argv: readonly string[] = process.argv.slice(2)): Config {
  let envFile: string | undefined;
  try {
    envFile = readFileSync(".env", "utf8");
  } catch {
    envFile = undefined;
  }
  return loadConfig({ argv, env: process.env, envFile });
}
