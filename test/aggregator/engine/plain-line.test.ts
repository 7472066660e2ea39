import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { scanPlainLine } from "../../../server/aggregator/engine/plain-line.ts";
import { hashBytes } from "../../../server/aggregator/engine/tag-bytes.ts";
import { parseLine } from "../../../shared/line-protocol.ts";

const T0 = Date.UTC(2026, 0, 1);

function tokensOf(line: string): string[] | undefined {
  const bytes = Buffer.from(line, "utf8");
  const tokens = new Uint32Array(3 * (bytes.length + 2));
  const count = scanPlainLine(bytes, 0, bytes.length, tokens);
  if (count < 0) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const [start, end, hash] = [tokens[3 * i] as number, tokens[3 * i + 1] as number, tokens[3 * i + 2] as number];
    expect(hash).toBe(hashBytes(bytes, start, end));
    return bytes.toString("latin1", start, end);
  });
}

describe("scanPlainLine", () => {
  it("takes plain lines of [a-z0-9_] names, spaces, tabs and one trailing CR", () => {
    expect(tokensOf("rust python")).toEqual(["rust", "python"]);
    expect(tokensOf("\t a_1  b2\t\r")).toEqual(["a_1", "b2"]);
    expect(tokensOf("fedi fedi")).toEqual(["fedi", "fedi"]);
    expect(tokensOf("   ")).toEqual([]);
    expect(tokensOf("")).toEqual([]);
  });

  it("leaves every other line to the general parser", () => {
    for (const line of ["#rust", "Rust", "café", '{"tags":["a"]}', "a\rb", "a-b", "a\r\r", "ok 🦀"]) {
      expect(tokensOf(line), line).toBeUndefined();
    }
  });
});

describe("the fast path counts exactly what the string path counts", () => {
  const alphabet = fc.constantFrom(..."ab_9 \t\r#Aé{}\"-".split(""));
  const line = fc.array(alphabet, { maxLength: 24 }).map((chars) => chars.join(""));

  it("for any lines, fast path with fallback equals parseLine + ingest", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const fast = new CountingEngine({ windows: [{ kind: "complete" }], topN: 50, now: T0 });
        const slow = new CountingEngine({ windows: [{ kind: "complete" }], topN: 50, now: T0 });
        for (const text of lines) {
          const bytes = Buffer.from(`x${text}\n`, "utf8");
          const parsed = parseLine(text);
          if (!fast.ingestPlainLine(bytes, 1, bytes.length - 1) && parsed.kind === "tags") fast.ingest(parsed.tags);
          if (parsed.kind === "tags") slow.ingest(parsed.tags);
        }
        expect(fast.tick(T0 + 1)).toEqual(slow.tick(T0 + 1));
      }),
      { numRuns: 300 },
    );
  });
});
