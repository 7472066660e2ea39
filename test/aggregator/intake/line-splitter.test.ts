import { describe, expect, it } from "vitest";
import type { FramingReject } from "../../../shared/line-protocol.ts";
import { LineSplitter } from "../../../server/aggregator/intake/line-splitter.ts";

function collect(maxLineBytes: number) {
  const lines: string[] = [];
  const rejects: FramingReject[] = [];
  const splitter = new LineSplitter(maxLineBytes, { line: (l) => lines.push(l), reject: (r) => rejects.push(r) });
  return { splitter, lines, rejects };
}

describe("LineSplitter", () => {
  it("splits lines across arbitrary chunk boundaries", () => {
    const { splitter, lines } = collect(1024);
    const bytes = Buffer.from("rust python\ncafé ünïcode\n\nlast", "utf8");
    // Feed one byte at a time: multi-byte characters are split across chunks too.
    for (let i = 0; i < bytes.length; i++) splitter.push(bytes.subarray(i, i + 1));
    expect(lines).toEqual(["rust python", "café ünïcode", ""]);
    splitter.end();
    expect(lines).toEqual(["rust python", "café ünïcode", "", "last"]);
  });

  it("refuses an over-long line once and resumes at the next newline", () => {
    const { splitter, lines, rejects } = collect(8);
    splitter.push(Buffer.from("ok\n0123456789"));
    splitter.push(Buffer.from("abcdef"));
    splitter.push(Buffer.from("ghi\nafter\n"));
    expect(lines).toEqual(["ok", "after"]);
    expect(rejects).toEqual(["too-long"]);
  });

  it("refuses an over-long line that arrives in one chunk", () => {
    const { splitter, lines, rejects } = collect(4);
    splitter.push(Buffer.from("toolong\nfine\n"));
    expect(lines).toEqual(["fine"]);
    expect(rejects).toEqual(["too-long"]);
  });

  it("refuses invalid UTF-8 without disturbing its neighbours", () => {
    const { splitter, lines, rejects } = collect(64);
    splitter.push(Buffer.concat([Buffer.from("a\n"), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from("b\n")]));
    expect(lines).toEqual(["a", "b"]);
    expect(rejects).toEqual(["invalid-utf8"]);
  });

  it("drops the tail of an over-long line at end of stream", () => {
    const { splitter, lines, rejects } = collect(4);
    splitter.push(Buffer.from("abcdefgh"));
    splitter.end();
    expect(lines).toEqual([]);
    expect(rejects).toEqual(["too-long"]);
  });

  it("offers each line's bytes to the fast path first, also when the line spans chunks", () => {
    const taken: string[] = [];
    const lines: string[] = [];
    const splitter = new LineSplitter(64, {
      plain: (bytes, start, end) => {
        const text = bytes.toString("latin1", start, end);
        if (text.startsWith("{")) return false;
        taken.push(text);
        return true;
      },
      line: (l) => lines.push(l),
      reject: () => undefined,
    });
    splitter.push(Buffer.from('rust go\n{"x"}\npyt'));
    splitter.push(Buffer.from("hon\nlast"));
    splitter.end();
    expect(taken).toEqual(["rust go", "python", "last"]);
    expect(lines).toEqual(['{"x"}']);
  });
});
