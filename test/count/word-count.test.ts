import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ENGLISH_STOPWORDS } from "../../server/count/stopwords-en.ts";
import { countWords, formatWordCounts, wordsOf } from "../../server/count/word-count.ts";
import { commandArgs } from "../support/commands.ts";

describe("word count", () => {
  it("splits words, lower-cases them and keeps inner apostrophes", () => {
    expect(wordsOf("The CAT don't care; the dog’s bark! 42 times")).toEqual([
      "the", "cat", "don't", "care", "the", "dog's", "bark", "42", "times",
    ]);
  });

  it("counts with stop words removed and a minimum, most frequent first, ties alphabetical", () => {
    const lines = ["The cat and the dog.", "The CAT don't care; the dog barks", "cat cat bird"];
    expect(countWords(lines, ENGLISH_STOPWORDS, 2)).toEqual([
      { word: "cat", count: 4 },
      { word: "dog", count: 2 },
    ]);
    expect(countWords(lines, new Set(), 3)).toEqual([
      { word: "cat", count: 4 },
      { word: "the", count: 4 },
    ]);
  });

  it("counts in NFKC: a ligature or a full-width letter is the plain word", () => {
    expect(wordsOf("ﬁle file ＦＩＬＥ")).toEqual(["file", "file", "file"]);
    expect(countWords(["ﬁnd the ﬁle", "find a file"], new Set(), 1)).toEqual([
      { word: "file", count: 2 },
      { word: "find", count: 2 },
      { word: "a", count: 1 },
      { word: "the", count: 1 },
    ]);
  });

  it("right-aligns the counts", () => {
    expect(formatWordCounts([{ word: "a", count: 120 }, { word: "bb", count: 7 }])).toBe("120 a\n  7 bb\n");
  });

  it("runs as `npm run count` from the command line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "count-"));
    const file = join(dir, "text.txt");
    writeFileSync(file, "Alpha beta the alpha.\nALPHA beta gamma\n");
    const { stdout } = await promisify(execFile)(process.execPath, commandArgs("count", file, "--stopwords", "en", "--min", "2"));
    expect(stdout).toBe("3 alpha\n2 beta\n");
  });

  it("answers wrong arguments with the problem and the usage, exit 2", async () => {
    const failure = await promisify(execFile)(process.execPath, commandArgs("count", "--min", "0")).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toBe(
      'count: expected exactly one FILE, got 0\n--min must be a whole number of at least 1, got "0"\n' +
        "usage: npm run count -- FILE [--stopwords en|none|PATH] [--min N]\n",
    );
  });

  it("prints its usage and flags with --help, exit 0", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, commandArgs("count", "--help"));
    expect(stdout.split("\n").slice(0, 1)).toEqual(["usage: npm run count -- FILE [--stopwords en|none|PATH] [--min N]"]);
    expect(stdout).toMatch(/^ {2}--stopwords en\|none\|PATH +.*\(default none\)$/m);
    expect(stdout).toMatch(/^ {2}--min N +.*\(default 1\)$/m);
  });
});
