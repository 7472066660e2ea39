/** Options of `npm run count -- FILE [--stopwords en|none|PATH] [--min N]`, validated in one place. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ENGLISH_STOPWORDS } from "../count/stopwords-en.ts";

export interface CountOptions {
  readonly file: string;
  readonly stopwords: ReadonlySet<string>;
  readonly min: number;
}

/** The command's flags: what usage and `--help` show, and what is parsed. */
const COUNT_FLAGS = {
  stopwords: { value: "en|none|PATH", fallback: "none", about: "stop words left out: the English list, none, or a file of words" },
  min: { value: "N", fallback: "1", about: "show only words counted at least N times" },
} as const;

export const COUNT_USAGE = `usage: npm run count -- FILE ${Object.entries(COUNT_FLAGS)
  .map(([flag, { value }]) => `[--${flag} ${value}]`)
  .join(" ")}`;

export function countHelp(): string {
  const rows = Object.entries(COUNT_FLAGS).map(([flag, { value, fallback, about }]) => [`--${flag} ${value}`, `${about} (default ${fallback})`] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    COUNT_USAGE,
    "",
    "Word count of a text file, most frequent first, through the same counting engine as the hashtags.",
    "",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    `  ${"--help, -h".padEnd(width)}  this text`,
    "",
  ].join("\n");
}

/** Wrong arguments: each problem, then the command's usage. */
export class UsageError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super([...problems, COUNT_USAGE].join("\n"));
    this.name = "UsageError";
    this.problems = problems;
  }
}

/** The options, or `"help"` when asked for it. */
export function readCountOptions(argv: readonly string[]): CountOptions | "help" {
  const problems: string[] = [];
  let parsed: ReturnType<typeof parse> | undefined;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError([(error as Error).message]);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return "help";
  if (positionals.length !== 1) problems.push(`expected exactly one FILE, got ${positionals.length}`);
  const min = Number(values.min ?? COUNT_FLAGS.min.fallback);
  if (!Number.isInteger(min) || min < 1) problems.push(`--min must be a whole number of at least 1, got "${values.min}"`);
  let stopwords: ReadonlySet<string> = new Set();
  const list = values.stopwords ?? COUNT_FLAGS.stopwords.fallback;
  if (list === "en") stopwords = ENGLISH_STOPWORDS;
  else if (list !== "none") {
    try {
      stopwords = new Set(readFileSync(list, "utf8").split(/\s+/).filter(Boolean).map((w) => w.normalize("NFKC").toLowerCase()));
    } catch {
      problems.push(`--stopwords: "${list}" is neither "en", "none" nor a readable file`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems);
  return { file: positionals[0] as string, stopwords, min };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { stopwords: { type: "string" }, min: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
}
