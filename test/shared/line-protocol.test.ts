import { describe, expect, it } from "vitest";
import {
  encodeHelloLine,
  encodePlainLine,
  encodeTagLine,
  MAX_ID_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS_PER_LINE,
  parseLine,
} from "../../shared/line-protocol.ts";

describe("parseLine: plain form (Spark's socket source)", () => {
  it("reads space-separated hashtags, normalised", () => {
    expect(parseLine("rust python")).toEqual({ kind: "tags", tags: ["rust", "python"], invalidTags: 0, longTags: 0, meta: {} });
    expect(parseLine("#Rust  Café\tＴＥＳＴ\r")).toEqual({ kind: "tags", tags: ["rust", "cafe", "test"], invalidTags: 0, longTags: 0, meta: {} });
  });

  it("keeps repeated tags: each occurrence counts", () => {
    expect(parseLine("a a b")).toMatchObject({ tags: ["a", "a", "b"] });
  });

  it("drops tokens with nothing valid and counts them", () => {
    expect(parseLine("rust !!! 🦀")).toEqual({ kind: "tags", tags: ["rust"], invalidTags: 2, longTags: 0, meta: {} });
    expect(parseLine("!!! ???")).toEqual({ kind: "rejected", reason: "no-valid-tags" });
  });

  it("treats blank and whitespace-only lines as blank", () => {
    expect(parseLine("")).toEqual({ kind: "blank" });
    expect(parseLine("  \t \r")).toEqual({ kind: "blank" });
  });
});

describe("parseLine: JSON form", () => {
  it("reads tags and the post's metadata", () => {
    const line = '{"tags":["Rust","python"],"ts":1700000000000,"id":"https://a.example/s/1","lang":"en","acct":"x@a.example"}';
    expect(parseLine(line)).toEqual({
      kind: "tags",
      tags: ["rust", "python"],
      invalidTags: 0,
      longTags: 0,
      meta: { ts: 1700000000000, id: "https://a.example/s/1", lang: "en", acct: "x@a.example" },
    });
  });

  it("counts a post without tags as a post", () => {
    expect(parseLine('{"tags":[],"lang":null}')).toEqual({ kind: "tags", tags: [], invalidTags: 0, longTags: 0, meta: {} });
  });

  it("drops non-string and empty tags, keeping the rest", () => {
    expect(parseLine('{"tags":["ok",7,"!!",null]}')).toEqual({ kind: "tags", tags: ["ok"], invalidTags: 3, longTags: 0, meta: {} });
  });

  it("rejects junk with a reason", () => {
    expect(parseLine("{not json")).toEqual({ kind: "rejected", reason: "invalid-json" });
    expect(parseLine('{"tag":"x"}')).toEqual({ kind: "rejected", reason: "invalid-shape" });
    expect(parseLine('{"tags":"x"}')).toEqual({ kind: "rejected", reason: "invalid-shape" });
    expect(parseLine('{"tags":[],"ts":"yesterday"}')).toEqual({ kind: "rejected", reason: "invalid-shape" });
    expect(parseLine('{"op":"explode"}')).toEqual({ kind: "rejected", reason: "unknown-op" });
    expect(parseLine('{"op":"hello","source":"mars","instances":[]}')).toEqual({ kind: "rejected", reason: "invalid-shape" });
  });

  it("reads the ingestor's hello", () => {
    expect(parseLine('{"op":"hello","source":"demo","instances":["demo.example"]}')).toEqual({
      kind: "hello",
      hello: { source: "demo", instances: ["demo.example"] },
    });
  });
});

describe("parseLine: limits", () => {
  it("refuses a line with a C0 control character other than TAB, and allows one CR at the end", () => {
    for (const control of ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\r", "\u001b", "\u001f"]) {
      expect(parseLine(`rust${control}python`), JSON.stringify(control)).toEqual({ kind: "rejected", reason: "control-characters" });
      expect(parseLine(`{"tags":["ru${control}st"]}`), JSON.stringify(control)).toEqual({ kind: "rejected", reason: "control-characters" });
    }
    expect(parseLine("\u0000")).toEqual({ kind: "rejected", reason: "control-characters" });
    expect(parseLine("rust\tpython\r")).toEqual({ kind: "tags", tags: ["rust", "python"], invalidTags: 0, longTags: 0, meta: {} });
    expect(parseLine("rust\r\r")).toEqual({ kind: "rejected", reason: "control-characters" });
    // DEL and C1 controls are not C0: they are simply not hashtag characters.
    expect(parseLine("ru\u007fst \u0085")).toEqual({ kind: "tags", tags: ["rust"], invalidTags: 1, longTags: 0, meta: {} });
  });

  it(`refuses more than ${MAX_TAGS_PER_LINE} tags on a line, counted before normalisation`, () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(parseLine(names(MAX_TAGS_PER_LINE).join(" "))).toMatchObject({ kind: "tags", tags: names(MAX_TAGS_PER_LINE) });
    expect(parseLine(names(MAX_TAGS_PER_LINE + 1).join(" "))).toEqual({ kind: "rejected", reason: "too-many-tags" });
    expect(parseLine("! ".repeat(MAX_TAGS_PER_LINE + 1))).toEqual({ kind: "rejected", reason: "too-many-tags" });
    expect(parseLine(JSON.stringify({ tags: names(MAX_TAGS_PER_LINE) }))).toMatchObject({ kind: "tags", tags: names(MAX_TAGS_PER_LINE) });
    expect(parseLine(JSON.stringify({ tags: names(MAX_TAGS_PER_LINE + 1) }))).toEqual({ kind: "rejected", reason: "too-many-tags" });
    expect(parseLine(JSON.stringify({ op: "update", id: "u", tags: names(MAX_TAGS_PER_LINE + 1) }))).toEqual({
      kind: "rejected",
      reason: "too-many-tags",
    });
  });

  it(`drops a tag longer than ${MAX_TAG_LENGTH} code points after normalisation, and counts it`, () => {
    const longest = "a".repeat(MAX_TAG_LENGTH);
    const over = "a".repeat(MAX_TAG_LENGTH + 1);
    expect(parseLine(`rust ${longest} ${over}`)).toEqual({ kind: "tags", tags: ["rust", longest], invalidTags: 0, longTags: 1, meta: {} });
    // Measured after normalisation: the 101 characters of "#" and a 100-letter name are fine.
    expect(parseLine(`#${longest}`)).toMatchObject({ tags: [longest], longTags: 0 });
    // ...and in code points: 100 CJK ideographs outside the BMP are 200 UTF-16 units but count as 100.
    const astral = "\u{20000}".repeat(MAX_TAG_LENGTH);
    expect(parseLine(astral)).toMatchObject({ tags: [astral], longTags: 0 });
    expect(parseLine(`${astral}\u{20000}`)).toEqual({ kind: "rejected", reason: "no-valid-tags" });
    expect(parseLine(JSON.stringify({ tags: [over, "Rust"], id: "u" }))).toEqual({
      kind: "tags",
      tags: ["rust"],
      invalidTags: 0,
      longTags: 1,
      meta: { id: "u" },
    });
    expect(parseLine(JSON.stringify({ op: "update", id: "u", tags: [over] }))).toEqual({ kind: "update", id: "u", tags: [], invalidTags: 0, longTags: 1 });
  });

  it(`refuses a post id longer than ${MAX_ID_LENGTH} characters`, () => {
    const id = "i".repeat(MAX_ID_LENGTH);
    expect(parseLine(JSON.stringify({ tags: ["x"], id }))).toMatchObject({ kind: "tags", meta: { id } });
    expect(parseLine(JSON.stringify({ tags: ["x"], id: `${id}i` }))).toEqual({ kind: "rejected", reason: "invalid-shape" });
    expect(parseLine(JSON.stringify({ op: "delete", id: `${id}i` }))).toEqual({ kind: "rejected", reason: "invalid-shape" });
    expect(parseLine(JSON.stringify({ op: "update", id: `${id}i`, tags: [] }))).toEqual({ kind: "rejected", reason: "invalid-shape" });
  });
});

describe("encoders", () => {
  it("round-trip through parseLine", () => {
    const tagLine = encodeTagLine({ tags: ["rust", "café"], ts: 5, id: "u", lang: "de", acct: "a@b" });
    expect(tagLine.endsWith("\n")).toBe(true);
    expect(parseLine(tagLine.slice(0, -1))).toEqual({
      kind: "tags",
      tags: ["rust", "cafe"],
      invalidTags: 0,
      longTags: 0,
      meta: { ts: 5, id: "u", lang: "de", acct: "a@b" },
    });
    expect(encodePlainLine(["rust", "python"])).toBe("rust python\n");
    expect(parseLine(encodeHelloLine({ source: "live", instances: ["mastodon.social"] }).trim())).toEqual({
      kind: "hello",
      hello: { source: "live", instances: ["mastodon.social"] },
    });
  });
});
