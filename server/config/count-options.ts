/** Options of `npm run count -- FILE [--stopwords en|none|PATH] [--min N]`, validated in one place. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ENGLISH_STOPWORDS } from "../count/stopwords-en.ts";
import { ConfigError } from "./config.ts";

export interface CountOptions {
  readonly file: string;
  readonly stopwords: ReadonlySet<string>;
  readonly min: number;
}

export const COUNT_USAGE = "usage: npm run count -- FILE [--stopwords en|none|PATH] [--min N]";

export function readCountOptions(argv: readonly string[]): CountOptions {
  const problems: string[] = [];
  let parsed: ReturnType<typeof parse> | undefined;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new ConfigError([(error as Error).message, COUNT_USAGE]);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) problems.push(`expected exactly one FILE, got ${positionals.length}`);
  const min = Number(values.min ?? "1");
  if (!Number.isInteger(min) || min < 1) problems.push(`--min must be a whole number of at least 1, got "${values.min}"`);
  let stopwords: ReadonlySet<string> = new Set();
  const list = values.stopwords ?? "none";
  if (list === "en") stopwords = ENGLISH_STOPWORDS;
  else if (list !== "none") {
    try {
      stopwords = new Set(readFileSync(list, "utf8").split(/\s+/).filter(Boolean).map((w) => w.toLowerCase()));
    } catch {
      problems.push(`--stopwords: "${list}" is neither "en", "none" nor a readable file`);
    }
  }
  if (problems.length > 0) throw new ConfigError([...problems, COUNT_USAGE]);
  return { file: positionals[0] as string, stopwords, min };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { stopwords: { type: "string" }, min: { type: "string" } },
    allowPositionals: true,
  });
}
