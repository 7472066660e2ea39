/** `npm run count -- FILE [--stopwords en] [--min 60]`: word count of a text file, textbook style. */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { countHelp, readCountOptions, UsageError } from "../config/count-options.ts";
import { countWords, formatWordCounts } from "../count/word-count.ts";

try {
  const options = readCountOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(countHelp());
    process.exit(0);
  }
  const lines: string[] = [];
  const input = createReadStream(options.file, "utf8");
  input.on("error", (error) => {
    process.stderr.write(`count: cannot read ${options.file}: ${error.message}\n`);
    process.exit(1);
  });
  for await (const line of createInterface({ input, crlfDelay: Infinity })) lines.push(line);
  process.stdout.write(formatWordCounts(countWords(lines, options.stopwords, options.min)));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`count: ${error.message}\n`);
  process.exit(2);
}
