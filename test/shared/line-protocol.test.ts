import { describe, expect, it } from "vitest";
import { encodeHelloLine, encodePlainLine, encodeTagLine, parseLine } from "../../shared/line-protocol.ts";

describe("parseLine: plain form (Spark's socket source)", () => {
  it("reads space-separated hashtags, normalised", () => {
    expect(parseLine("rust python")).toEqual({ kind: "tags", tags: ["rust", "python"], invalidTags: 0, meta: {} });
    expect(parseLine("#Rust  Café\tＴＥＳＴ\r")).toEqual({ kind: "tags", tags: ["rust", "cafe", "test"], invalidTags: 0, meta: {} });
  });

  it("keeps repeated tags: each occurrence counts", () => {
    expect(parseLine("a a b")).toMatchObject({ tags: ["a", "a", "b"] });
  });

  it("drops tokens with nothing valid and counts them", () => {
    expect(parseLine("rust !!! 🦀")).toEqual({ kind: "tags", tags: ["rust"], invalidTags: 2, meta: {} });
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
      meta: { ts: 1700000000000, id: "https://a.example/s/1", lang: "en", acct: "x@a.example" },
    });
  });

  it("counts a post without tags as a post", () => {
    expect(parseLine('{"tags":[],"lang":null}')).toEqual({ kind: "tags", tags: [], invalidTags: 0, meta: {} });
  });

  it("drops non-string and empty tags, keeping the rest", () => {
    expect(parseLine('{"tags":["ok",7,"!!",null]}')).toEqual({ kind: "tags", tags: ["ok"], invalidTags: 3, meta: {} });
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

describe("encoders", () => {
  it("round-trip through parseLine", () => {
    const tagLine = encodeTagLine({ tags: ["rust", "café"], ts: 5, id: "u", lang: "de", acct: "a@b" });
    expect(tagLine.endsWith("\n")).toBe(true);
    expect(parseLine(tagLine.slice(0, -1))).toEqual({
      kind: "tags",
      tags: ["rust", "cafe"],
      invalidTags: 0,
      meta: { ts: 5, id: "u", lang: "de", acct: "a@b" },
    });
    expect(encodePlainLine(["rust", "python"])).toBe("rust python\n");
    expect(parseLine(encodeHelloLine({ source: "live", instances: ["mastodon.social"] }).trim())).toEqual({
      kind: "hello",
      hello: { source: "live", instances: ["mastodon.social"] },
    });
  });
});
