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
import { COMPLETE_WINDOW, formatDuration, parseDuration } from "../../shared/duration.ts";
import { triggerBoundsProblem } from "../../shared/messages.ts";
import type { WindowSpec } from "../../shared/window-spec.ts";
import { windowsShorterThan } from "../../shared/window-spec.ts";
import { INGEST_FLAGS, ingestSettings, ingestVariables, type IngestSettings } from "./ingest-settings.ts";
import { lineSocketSettings, lineSocketVariables, type LineSocketSettings } from "./line-socket-settings.ts";
import { anyTokenConfigured, parseInstanceUrls, resolveInstances, type MastodonInstance } from "./mastodon-instances.ts";
import { parseMastodonStream, type MastodonStream } from "./mastodon-stream.ts";
import { NATS_FLAGS, natsSettings, natsVariables, type NatsSettings } from "./nats-settings.ts";
import { byteSize, checked, duration, port, positiveInt, wholeNumber } from "./variable-types.ts";

/** LANGUAGES: a fixed list of language codes, or the N busiest languages. */
export type LanguageChoice = { readonly kind: "list"; readonly codes: readonly string[] } | { readonly kind: "auto"; readonly busiest: number };


export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** CLI flag -> environment variable it overrides. */
export const FLAGS = {
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
  capacity: "ENGINE_CAPACITY",
  "account-capacity": "ACCOUNT_CAPACITY",
  "trend-window": "TREND_WINDOW",
  time: "TIME",
  languages: "LANGUAGES",
  "allowed-lateness": "ALLOWED_LATENESS",
  "trend-baseline": "TREND_BASELINE",
  "checkpoint-interval": "CHECKPOINT_INTERVAL",
  "state-dir": "STATE_DIR",
  "log-level": "LOG_LEVEL",
  "log-format": "LOG_FORMAT",
  "queue-lines": "INGEST_QUEUE_LINES",
  "queue-bytes": "INGEST_QUEUE_BYTES",
  "demo-rate": "DEMO_RATE",
  "demo-port": "DEMO_PORT",
  "demo-seed": "DEMO_SEED",
  "demo-token": "DEMO_TOKEN",
  "api-rate-limit": "API_RATE_LIMIT",
  title: "TITLE",
  ...INGEST_FLAGS,
  ...NATS_FLAGS,
} as const;

const windows = z.string().transform((text, ctx) => {
  const specs: WindowSpec[] = [];
  // Two spellings of one length would be one window twice: the engine names windows by length.
  const seen = new Map<number | string, string>();
  for (const part of text.split(",").map((p) => p.trim())) {
    const ms = parseDuration(part);
    const key = part === COMPLETE_WINDOW ? COMPLETE_WINDOW : ms;
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier !== undefined) {
      const same = earlier === part ? `"${part}" is listed twice` : `"${earlier}" and "${part}" are the same window`;
      ctx.addIssue({ code: "custom", message: `WINDOWS: ${same}` });
      continue;
    }
    if (key !== undefined) seen.set(key, part);
    if (part === COMPLETE_WINDOW) specs.push({ kind: "complete" });
    else if (ms !== undefined) specs.push({ kind: "sliding", lengthMs: ms });
    else ctx.addIssue({ code: "custom", message: `WINDOWS: "${part}" is neither "complete" nor a duration` });
  }
  return specs;
}).meta({ format: "windows" });

const stream = z.string().transform((text, ctx): MastodonStream => {
  const parsed = parseMastodonStream(text);
  if (typeof parsed === "string") {
    ctx.addIssue({ code: "custom", message: `MASTODON_STREAM: ${parsed}` });
    return z.NEVER;
  }
  return parsed;
}).meta({ format: "stream" });

/** Every variable, with its type and default: the one definition that validation and `--help` read. */
export const CONFIG_VARIABLES = {
  MASTODON_URL: checked(parseInstanceUrls).default(() => [new URL("https://mastodon.social")]),
  MASTODON_TOKEN: z.string().optional(),
  MASTODON_STREAM: stream.default({ kind: "public" }),
  MASTODON_STREAMING_URL: z.url({ protocol: /^wss?$/, error: "MASTODON_STREAMING_URL must be a ws(s) URL" }).optional(),
  ...ingestVariables,
  ...lineSocketVariables,
  ...natsVariables,
  HOST: z.string().default("127.0.0.1"),
  HTTP_PORT: port(3000),
  API_RATE_LIMIT: positiveInt(600, 1_000_000),
  WS_MAX_BUFFERED: byteSize("WS_MAX_BUFFERED", { min: 64 * 1024, max: 1024 ** 3, text: "64KiB and 1GiB" }).default(4 * 1024 ** 2),
  WS_MAX_CLIENTS: positiveInt(500, 100_000),
  TRIGGER_INTERVAL: duration("TRIGGER_INTERVAL")
    .superRefine((ms, ctx) => {
      const problem = triggerBoundsProblem(ms);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: `TRIGGER_INTERVAL ${problem}` });
    })
    .default(10_000),
  WINDOWS: windows.default([{ kind: "sliding", lengthMs: 15 * 60_000 }, { kind: "complete" }]),
  TOP_N: positiveInt(20, 1000),
  ENGINE_CAPACITY: positiveInt(1_000_000, 100_000_000),
  ACCOUNT_CAPACITY: positiveInt(500_000, 100_000_000),
  // The trend (see engine/trend-scores.ts): Mastodon's score over a sliding window and a baseline of slots.
  // Defaults differ in the demo (trendDefaults), so these are resolved with it.
  TREND_WINDOW: duration("TREND_WINDOW", { min: 1_000, max: 7 * 86_400_000, text: "1s and 7 days" }).optional(),
  TREND_BASELINE: duration("TREND_BASELINE", { min: 1_000, max: 30 * 86_400_000, text: "1s and 30 days" }).optional(),
  TREND_THRESHOLD: wholeNumber(1, 1_000_000).default(5),
  LANGUAGES: z
    .string()
    .transform((text, ctx): LanguageChoice | null => {
      const value = text.trim().toLowerCase();
      if (value === "off" || value === "none") return null;
      const auto = /^auto:(\d+)$/.exec(value);
      if (auto !== null) {
        const busiest = Number(auto[1]);
        if (busiest >= 1 && busiest <= 50) return { kind: "auto", busiest };
        ctx.addIssue({ code: "custom", message: "LANGUAGES: auto:N takes N from 1 to 50" });
        return z.NEVER;
      }
      const codes = value.split(",").map((code) => code.trim()).filter((code) => code !== "");
      const bad = codes.filter((code) => !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(code));
      if (codes.length === 0 || codes.length > 50 || bad.length > 0) {
        ctx.addIssue({ code: "custom", message: `LANGUAGES: "${text}" is not auto:N, off, or a list of language codes such as en,de,ja,pt-br` });
        return z.NEVER;
      }
      return { kind: "list", codes: [...new Set(codes)] };
    })
    .meta({ format: "languages" })
    .default({ kind: "auto", busiest: 10 }),
  TIME: z.enum(["event", "arrival"], { error: 'TIME: must be "event" or "arrival"' }).default("event"),
  ALLOWED_LATENESS: duration("ALLOWED_LATENESS", { min: 0, max: 86_400_000, text: "0 and 1 day" }).default(300_000),
  TREND_HALF_LIFE: duration("TREND_HALF_LIFE", { min: 1_000, max: 30 * 86_400_000, text: "1s and 30 days" }).optional(),
  // The bound on what a crash loses; below 100 ms the writes themselves would dominate.
  CHECKPOINT_INTERVAL: duration("CHECKPOINT_INTERVAL", { min: 100, max: 3_600_000, text: "100ms and 1 hour" }).default(30_000),
  STATE_DIR: z.string().default("./data"),
  TITLE: z.string().trim().max(80, { error: "TITLE: at most 80 characters" }).optional(),
  // Long enough that guessing it over a rate-limited endpoint is hopeless.
  ADMIN_TOKEN: z.string().min(16, { error: "ADMIN_TOKEN: at least 16 characters (e.g. `openssl rand -hex 24`)" }).optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  DEMO: z.stringbool().default(false),
  DEMO_RATE: z.coerce.number().positive().max(100_000).default(20),
  DEMO_PORT: port(4000),
  DEMO_SEED: z.coerce.number().int().default(1),
  // The demo server's token; random at each start unless pinned, so a separate ingestor can follow it.
  DEMO_TOKEN: z.string().regex(/^[\x21-\x7e]+$/, { error: "DEMO_TOKEN: printable ASCII characters only, no spaces" }).optional(),
};

const schema = z.object(CONFIG_VARIABLES);

type Env = z.infer<typeof schema>;

export interface Config extends IngestSettings {
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
  readonly ingest: LineSocketSettings;
  /** The cluster (NATS JetStream), or undefined on one machine (no NATS_URL). */
  readonly nats: NatsSettings | undefined;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly apiRateLimit: number;
    /** Bytes sent to a WebSocket client and not yet read by it; past it, at a broadcast, it is dropped. */
    readonly wsMaxBufferedBytes: number;
    /** WebSocket clients connected at once; one more is closed with 1013 (try again later). */
    readonly wsMaxClients: number;
  };
  readonly triggerMs: number;
  readonly windows: readonly WindowSpec[];
  readonly topN: number;
  /** Most distinct tags the engine holds; counts are exact below it, estimates with error bounds past it. */
  readonly capacity: number;
  /** Most (tag, account) pairs held for distinct-account counts; exact below it, undercounts with a bound past it. */
  readonly accountCapacity: number;
  /** Which languages get tops of their own (LANGUAGES), or undefined for none. */
  readonly languages: LanguageChoice | undefined;
  /** Event time with a watermark `allowedLatenessMs` behind the newest post (TIME=event), or undefined (TIME=arrival). */
  readonly eventTime: { readonly allowedLatenessMs: number } | undefined;
  /** The trend score's windows and parameters (engine/trend-scores.ts). */
  readonly trend: { readonly windowMs: number; readonly baselineMs: number; readonly threshold: number; readonly halfLifeMs: number };
  /** Where the aggregator's checkpoint lives and how often it is written. */
  readonly checkpoint: { readonly dir: string; readonly intervalMs: number };
  /** The display title of the wall and the dashboard; unset, they say "Trending hashtags". */
  readonly title: string | undefined;
  /** Bearer token that `PUT /api/config` requires; without one the endpoint is disabled. Never logged. */
  readonly adminToken: string | undefined;
  readonly log: { readonly level: Env["LOG_LEVEL"]; readonly format: Env["LOG_FORMAT"] };
  /** True when the ingestor must use the built-in simulated server: forced, or neither a token nor a server given. */
  readonly demo: boolean;
  /** The simulated server of the demo; `token` is the one it accepts (random when unset). */
  readonly demoServer: { readonly rate: number; readonly port: number; readonly seed: number; readonly token: string | undefined };
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
  // A value given as a flag is reported under the flag's name, the way the user wrote it.
  const label = (variable: string): string => (variable in flags ? `--${FLAG_OF[variable] ?? variable}` : variable);

  // Each variable on its own, so that one bad value does not hide the problems of the others.
  const parsed: Record<string, unknown> = {};
  const invalid = new Set<string>();
  for (const [key, field] of Object.entries(CONFIG_VARIABLES)) {
    const result = (field as z.ZodType).safeParse(merged[key]);
    if (result.success) {
      parsed[key] = result.data;
      continue;
    }
    invalid.add(key);
    for (const issue of result.error.issues) problems.push(renamed(issue.message, key, label(key)));
  }
  const valid = (...keys: string[]): boolean => keys.every((key) => !invalid.has(key));
  const values = parsed as Env;

  if (valid("TRIGGER_INTERVAL", "WINDOWS")) {
    const given = (lengthMs: number): string =>
      (merged.WINDOWS ?? "").split(",").map((part) => part.trim()).find((part) => parseDuration(part) === lengthMs) ?? formatDuration(lengthMs);
    const trigger = merged.TRIGGER_INTERVAL ?? formatDuration(values.TRIGGER_INTERVAL);
    for (const lengthMs of windowsShorterThan(values.TRIGGER_INTERVAL, values.WINDOWS)) {
      problems.push(`${label("WINDOWS")}: a sliding window (${given(lengthMs)}) cannot be shorter than ${label("TRIGGER_INTERVAL")} (${trigger})`);
    }
  }
  if (valid("TRIGGER_INTERVAL", "TREND_WINDOW", "TREND_BASELINE", "DEMO")) {
    const { TRIGGER_INTERVAL } = values;
    const { windowMs: TREND_WINDOW, baselineMs: TREND_BASELINE } = trendSettings(values, values.DEMO || !anyTokenConfigured(merged));
    const trigger = merged.TRIGGER_INTERVAL ?? formatDuration(TRIGGER_INTERVAL);
    const trendWindow = merged.TREND_WINDOW ?? formatDuration(TREND_WINDOW);
    if (TREND_WINDOW < TRIGGER_INTERVAL) problems.push(`${label("TREND_WINDOW")} (${trendWindow}) cannot be shorter than ${label("TRIGGER_INTERVAL")} (${trigger})`);
    if (TREND_BASELINE < TREND_WINDOW) {
      const baseline = merged.TREND_BASELINE ?? formatDuration(TREND_BASELINE);
      problems.push(`${label("TREND_BASELINE")} (${baseline}) must be at least ${label("TREND_WINDOW")} (${trendWindow}): it is made of slots one trend window long`);
    }
  }
  // A server named on purpose is meant to be followed: without its token that is a mistake, not the demo.
  const serverNamed = merged.MASTODON_URL !== undefined || merged.MASTODON_STREAMING_URL !== undefined;
  const demo = values.DEMO === true || (!anyTokenConfigured(merged) && !serverNamed);
  let instances: MastodonInstance[] = [];
  if (valid("MASTODON_URL", "MASTODON_TOKEN", "MASTODON_STREAMING_URL", "DEMO", "INGEST_REPLAY")) {
    instances = resolveInstances(
      values.MASTODON_URL,
      {
        variables: merged,
        defaultToken: values.MASTODON_TOKEN,
        streamingUrl: values.MASTODON_STREAMING_URL,
        tokensRequired: !demo && values.INGEST_REPLAY === undefined,
      },
      problems,
    );
  }
  const ingest = valid(...Object.keys(ingestVariables)) ? ingestSettings(values, problems) : undefined;
  const lineSocket = valid(...Object.keys(lineSocketVariables)) ? lineSocketSettings(values, problems) : undefined;
  const nats = valid(...Object.keys(natsVariables)) ? natsSettings(values, problems) : undefined;
  if (problems.length > 0 || ingest === undefined || lineSocket === undefined) throw new ConfigError(problems);
  return toConfig(values, { instances, demo, ingest, lineSocket, nats }, positionals);
}

/** The message with its leading variable name replaced by `name` (a flag), or prefixed with it. */
function renamed(message: string, variable: string, name: string): string {
  return message.startsWith(variable) ? name + message.slice(variable.length) : `${name}: ${message}`;
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

/** Environment variable -> the CLI flag that sets it. */
const FLAG_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(FLAGS).map(([flag, variable]) => [variable, flag]));

interface Resolved {
  readonly instances: readonly MastodonInstance[];
  readonly demo: boolean;
  readonly ingest: IngestSettings;
  readonly lineSocket: LineSocketSettings;
  readonly nats: NatsSettings | undefined;
}

function toConfig(env: Env, { instances, demo, ingest, lineSocket, nats }: Resolved, positionals: readonly string[]): Config {
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
    ...ingest,
    ingest: lineSocket,
    nats,
    http: { host: env.HOST, port: env.HTTP_PORT, apiRateLimit: env.API_RATE_LIMIT, wsMaxBufferedBytes: env.WS_MAX_BUFFERED, wsMaxClients: env.WS_MAX_CLIENTS },
    triggerMs: env.TRIGGER_INTERVAL,
    windows: env.WINDOWS,
    topN: env.TOP_N,
    capacity: env.ENGINE_CAPACITY,
    accountCapacity: env.ACCOUNT_CAPACITY,
    trend: trendSettings(env, demo),
    eventTime: env.TIME === "event" ? { allowedLatenessMs: env.ALLOWED_LATENESS } : undefined,
    languages: env.LANGUAGES ?? undefined,
    checkpoint: { dir: env.STATE_DIR, intervalMs: env.CHECKPOINT_INTERVAL },
    title: env.TITLE,
    adminToken: env.ADMIN_TOKEN,
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    demo,
    demoServer: { rate: env.DEMO_RATE, port: env.DEMO_PORT, seed: env.DEMO_SEED, token: env.DEMO_TOKEN },
    positionals,
  });
}

/**
 * The trend's settings. Live, Mastodon's own scale: an hour against the day before, a 4 h half-life.
 * In the demo, minutes: the staged burst must show within minutes of the start, and a day's
 * baseline would take a day to mean anything.
 */
function trendSettings(env: Env, demo: boolean): Config["trend"] {
  const defaults = demo ? { windowMs: 60_000, baselineMs: 600_000, halfLifeMs: 600_000 } : { windowMs: 3_600_000, baselineMs: 86_400_000, halfLifeMs: 4 * 3_600_000 };
  // A default never refuses a configuration: it stretches to a trigger interval longer than it.
  const windowMs = env.TREND_WINDOW ?? Math.max(defaults.windowMs, env.TRIGGER_INTERVAL);
  return {
    windowMs,
    baselineMs: env.TREND_BASELINE ?? Math.max(defaults.baselineMs, windowMs),
    threshold: env.TREND_THRESHOLD,
    halfLifeMs: env.TREND_HALF_LIFE ?? defaults.halfLifeMs,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** True when this process was asked for `--help` (or `-h`): its commands print usage and exit. */
export function helpRequested(argv: readonly string[] = process.argv.slice(2)): boolean {
  return argv.includes("--help") || argv.includes("-h");
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
