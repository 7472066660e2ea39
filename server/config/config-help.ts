/**
 * `--help` of the commands that read the configuration, generated from its one definition
 * (CONFIG_VARIABLES and FLAGS in config.ts): every variable, the flag that sets it, and its
 * default, so a variable added there is listed here without further work.
 */
import { z } from "zod";
import { COMPLETE_WINDOW, formatDuration } from "../../shared/duration.ts";
import type { WindowSpec } from "../../shared/window-spec.ts";
import { CONFIG_VARIABLES, FLAGS, type LanguageChoice } from "./config.ts";
import { describeMastodonStream, type MastodonStream } from "./mastodon-stream.ts";

export type ConfigCommand = "serve" | "ingest" | "demo" | "start" | "web";

const USAGE: Readonly<Record<ConfigCommand, readonly [string, string]>> = {
  start: ["npm start -- [flags]", "The whole product: serve and ingest, joined by the line socket (the demo without a token)."],
  serve: ["npm run serve -- [flags]", "The aggregator and the dashboard: reads lines on INGEST_PORT, serves HTTP_PORT."],
  ingest: ["npm run ingest -- [flags]", "Follows the Mastodon servers of MASTODON_URL (the simulated one without a token) and sends one line per post."],
  web: ["npm run web -- [flags]", "A web node: serves HTTP_PORT from the snapshots the replicas send over NATS (needs NATS_URL), holding no counts."],
  demo: ["npm run demo -- [flags]", "The simulated Mastodon server alone, for pointing any client at it."],
};

/**
 * Which commands read a variable, when not all of them do: each command's help lists only what it
 * reads (`start` runs serve and ingest, so it reads theirs). Unlisted variables are read by every
 * command that takes the configuration (logs, the cluster).
 */
const INGEST: readonly ConfigCommand[] = ["ingest", "start"];
const SERVE: readonly ConfigCommand[] = ["serve", "start"];
const SERVE_AND_INGEST: readonly ConfigCommand[] = ["serve", "ingest", "start"];
const SCREENS: readonly ConfigCommand[] = ["serve", "web", "start"];
const DEMO_SERVER: readonly ConfigCommand[] = ["demo", "ingest", "start"];
export const READ_BY: Readonly<Record<string, readonly ConfigCommand[]>> = {
  ...Object.fromEntries(
    ["MASTODON_URL", "MASTODON_TOKEN", "MASTODON_STREAM", "MASTODON_STREAMING_URL", "MASTODON_SILENCE_TIMEOUT", "RECONNECT_BASE", "RECONNECT_CAP",
      "FILTER_LANGUAGES", "FILTER_BLOCK_TAGS", "FILTER_BLOCK_ACCOUNTS", "FILTER_BLOCK_INSTANCES", "FILTER_SKIP_SENSITIVE", "FILTER_SKIP_BOTS",
      "INGEST_RECORD", "INGEST_REPLAY", "REPLAY_SPEED", "INGEST_LISTEN", "INGEST_FORMAT", "INGEST_METRICS_PORT", "INGEST_QUEUE_LINES", "INGEST_QUEUE_BYTES", "DEMO"].map((v) => [v, INGEST]),
  ),
  ...Object.fromEntries(
    ["INGEST_MAX_CONNECTIONS", "INGEST_IDLE_TIMEOUT", "INGEST_LINE_TIMEOUT", "TRIGGER_INTERVAL", "WINDOWS", "TOP_N", "ENGINE_CAPACITY", "ACCOUNT_CAPACITY",
      "TREND_WINDOW", "TREND_BASELINE", "TREND_THRESHOLD", "TREND_HALF_LIFE", "LANGUAGES", "TIME", "ALLOWED_LATENESS", "CHECKPOINT_INTERVAL", "STATE_DIR", "TITLE", "NATS_EPOCH_GRACE"].map((v) => [v, SERVE]),
  ),
  ...Object.fromEntries(["INGEST_HOST", "INGEST_PORT", "INGEST_TOKEN", "POST_MEMORY", "POST_MEMORY_ENTRIES", "POST_MEMORY_BYTES"].map((v) => [v, SERVE_AND_INGEST])),
  ...Object.fromEntries(["HTTP_PORT", "API_RATE_LIMIT", "WS_MAX_BUFFERED", "WS_MAX_CLIENTS", "ADMIN_TOKEN"].map((v) => [v, SCREENS])),
  HOST: ["serve", "web", "ingest", "start"],
  ...Object.fromEntries(["DEMO_RATE", "DEMO_PORT", "DEMO_SEED", "DEMO_TOKEN"].map((v) => [v, DEMO_SERVER])),
};

/** True when `command` reads `variable`. */
export function reads(command: ConfigCommand, variable: string): boolean {
  const commands = READ_BY[variable];
  return commands === undefined || commands.includes(command);
}

/** Flags that set no variable of their own. */
const BOOLEAN_FLAGS: Readonly<Record<string, string>> = { DEMO: "demo" };

interface Row {
  readonly flag: string;
  readonly variable: string;
  readonly shown: string;
}

type Schema = z.core.$ZodType;

function defOf(schema: Schema): { type: string; innerType?: Schema; defaultValue?: unknown; entries?: Record<string, string> } {
  return schema._zod.def as never;
}

/** The schema under `.default()` / `.optional()`, where the kind of value is recorded. */
function innermost(schema: Schema): Schema {
  const inner = defOf(schema).innerType;
  return inner === undefined ? schema : innermost(inner);
}

function formatOf(schema: Schema): string | undefined {
  for (let current: Schema | undefined = schema; current !== undefined; current = defOf(current).innerType) {
    const format = z.globalRegistry.get(current)?.format;
    if (typeof format === "string") return format;
  }
  return undefined;
}

function shownDefault(schema: Schema): string {
  const def = defOf(schema);
  if (def.type === "optional") return "(unset)";
  if (def.type !== "default") return "";
  const value = def.defaultValue;
  switch (formatOf(schema)) {
    case "duration":
      return formatDuration(value as number);
    case "bytes":
      return formatBytes(value as number);
    case "stream":
      return describeMastodonStream(value as MastodonStream);
    case "languages": {
      const choice = value as LanguageChoice;
      return choice.kind === "auto" ? `auto:${choice.busiest}` : choice.codes.join(",");
    }
    case "windows":
      return (value as WindowSpec[]).map((spec) => (spec.kind === "complete" ? COMPLETE_WINDOW : formatDuration(spec.lengthMs))).join(",");
  }
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map((item) => (item instanceof URL ? item.origin : String(item))).join(",");
  if (typeof value === "object" && value !== null) {
    const empty = Object.values(value).every((inner) => Array.isArray(inner) && inner.length === 0);
    return empty ? "(none)" : JSON.stringify(value);
  }
  return String(value);
}

function placeholder(schema: Schema): string {
  const format = formatOf(schema);
  if (format === "duration") return "<duration>";
  if (format === "bytes") return "<size>";
  if (format === "windows") return "<windows>";
  if (format === "languages") return "<auto:N|off|codes>";
  const inner = defOf(innermost(schema));
  if (inner.entries !== undefined && Object.keys(inner.entries).length <= 3) return `<${Object.values(inner.entries).join("|")}>`;
  if (inner.type === "number") return "<n>";
  return "<value>";
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

function rows(command: ConfigCommand): Row[] {
  const flagOf = new Map(Object.entries(FLAGS).map(([flag, variable]) => [variable as string, flag]));
  return Object.entries(CONFIG_VARIABLES).filter(([variable]) => reads(command, variable)).map(([variable, schema]) => {
    const flag = flagOf.get(variable);
    const boolean = BOOLEAN_FLAGS[variable];
    const shown = shownDefault(schema);
    return {
      flag: flag !== undefined ? `--${flag} ${placeholder(schema)}` : boolean !== undefined ? `--${boolean}` : "",
      variable,
      shown: shown === "" ? "" : `default ${shown}`,
    };
  });
}

/** Aligned columns: flag, variable, default. */
export function formatRows(table: readonly Row[]): string {
  const flagWidth = Math.max(...table.map((row) => row.flag.length));
  const variableWidth = Math.max(...table.map((row) => row.variable.length));
  return table.map((row) => `  ${row.flag.padEnd(flagWidth)}  ${row.variable.padEnd(variableWidth)}  ${row.shown}`.trimEnd()).join("\n");
}

export function commandHelp(command: ConfigCommand): string {
  const [usage, summary] = USAGE[command];
  return [
    `usage: ${usage}`,
    "",
    summary,
    "",
    "Every setting is a flag or an environment variable (or a line of .env); flags win over the",
    "environment, the environment over .env. An empty variable counts as unset.",
    "",
    formatRows(rows(command)),
    "  --help, -h",
    "",
    ...(reads(command, "MASTODON_URL") ? ["Per-server tokens: MASTODON_TOKEN_<HOST> (e.g. MASTODON_TOKEN_MASTODON_SOCIAL) for one server of MASTODON_URL."] : []),
    'README.md, "Configuration", describes each variable.',
    "",
  ].join("\n");
}
