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

function rows(): Row[] {
  const flagOf = new Map(Object.entries(FLAGS).map(([flag, variable]) => [variable as string, flag]));
  return Object.entries(CONFIG_VARIABLES).map(([variable, schema]) => {
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
    formatRows(rows()),
    "  --help, -h",
    "",
    "Per-server tokens: MASTODON_TOKEN_<HOST> (e.g. MASTODON_TOKEN_MASTODON_SOCIAL) for one server of MASTODON_URL.",
    'README.md, "Configuration", describes each variable.',
    "",
  ].join("\n");
}
