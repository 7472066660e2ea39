/**
 * The textbook's other example, a word count with stop words removed, run through the same
 * counting engine as the hashtags (one complete window), so it doubles as a batch check of it.
 */
import { CountingEngine } from "../aggregator/engine/counting-engine.ts";

export interface WordCount {
  readonly word: string;
  readonly count: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * Lower-cased words of a line, in NFKC like the hashtags (so the `ﬁ` ligature reads as `fi` and
 * full-width letters as plain ones); apostrophes inside a word are kept ("don't"), curly ones
 * made straight.
 */
export function wordsOf(line: string): string[] {
  return (line.normalize("NFKC").toLowerCase().match(WORD) ?? []).map((w) => w.replaceAll("’", "'"));
}

/** Words with at least `min` occurrences, most frequent first, ties alphabetical. */
export function countWords(lines: Iterable<string>, stopwords: ReadonlySet<string>, min: number): WordCount[] {
  const engine = new CountingEngine({ windows: [{ kind: "complete" }], topN: 1, now: 0 });
  for (const line of lines) engine.ingest(wordsOf(line).filter((w) => !stopwords.has(w)));
  const { counters } = engine.tick(0);
  const all = engine.top("complete", counters.distinct) ?? [];
  return all.filter((e) => e.count >= min).map((e) => ({ word: e.tag, count: e.count }));
}

/** One row a word, counts right-aligned in a column as wide as the largest. */
export function formatWordCounts(rows: readonly WordCount[]): string {
  const width = Math.max(0, ...rows.map((r) => String(r.count).length));
  return rows.map((r) => `${String(r.count).padStart(width)} ${r.word}\n`).join("");
}
