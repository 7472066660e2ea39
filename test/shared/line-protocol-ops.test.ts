import { describe, expect, it } from "vitest";
import {
  encodeDeleteLine,
  encodeStatsLine,
  encodeTagLine,
  encodeUpdateLine,
  parseLine,
} from "../../shared/line-protocol.ts";
import type { IngestReport } from "../../shared/messages.ts";

const REPORT: IngestReport = {
  statuses: 120,
  forwarded: 110,
  tags: 64,
  edits: 3,
  deletes: 2,
  statusesPerSecond: 12.5,
  tagsPerSecond: 6.25,
  reconnects: 1,
  duplicates: 10,
  filtered: { language: 4, bot: 1 },
  queued: 0,
  dropped: 0,
  connected: 2,
};

describe("post ops", () => {
  it("reads an edit with its normalised tags", () => {
    expect(parseLine('{"op":"update","id":"https://a.example/s/1","tags":["Rust","!!",7]}')).toEqual({
      kind: "update",
      id: "https://a.example/s/1",
      tags: ["rust"],
      invalidTags: 2,
      longTags: 0,
    });
    expect(parseLine('{"op":"update","id":"u","tags":[]}')).toEqual({ kind: "update", id: "u", tags: [], invalidTags: 0, longTags: 0 });
  });

  it("reads a deletion", () => {
    expect(parseLine('{"op":"delete","id":"https://a.example/s/1"}')).toEqual({ kind: "delete", id: "https://a.example/s/1" });
  });

  it("refuses ops without the post's id or with the wrong shape", () => {
    const invalid = { kind: "rejected", reason: "invalid-shape" };
    expect(parseLine('{"op":"delete"}')).toEqual(invalid);
    expect(parseLine('{"op":"delete","id":""}')).toEqual(invalid);
    expect(parseLine('{"op":"delete","id":5}')).toEqual(invalid);
    expect(parseLine('{"op":"update","id":"u"}')).toEqual(invalid);
    expect(parseLine('{"op":"update","tags":["a"]}')).toEqual(invalid);
    expect(parseLine('{"op":"update","id":"u","tags":"a"}')).toEqual(invalid);
  });

  it("round-trips edits and deletions through their encoders", () => {
    const update = encodeUpdateLine({ id: "https://a.example/s/1", tags: ["café", "rust"] });
    expect(update).toBe('{"op":"update","id":"https://a.example/s/1","tags":["café","rust"]}\n');
    expect(parseLine(update.trimEnd())).toEqual({ kind: "update", id: "https://a.example/s/1", tags: ["cafe", "rust"], invalidTags: 0, longTags: 0 });
    expect(parseLine(encodeDeleteLine("https://a.example/s/1").trimEnd())).toEqual({ kind: "delete", id: "https://a.example/s/1" });
  });

  it("keeps the old forms as they were: a post line is not an op", () => {
    expect(parseLine(encodeTagLine({ tags: ["x"], id: "u" }).trimEnd())).toEqual({ kind: "tags", tags: ["x"], invalidTags: 0, longTags: 0, meta: { id: "u" } });
    expect(parseLine("x y")).toEqual({ kind: "tags", tags: ["x", "y"], invalidTags: 0, longTags: 0, meta: {} });
  });
});

describe("stats op", () => {
  it("round-trips the ingestor's report", () => {
    const line = encodeStatsLine(REPORT);
    expect(line.startsWith('{"op":"stats",')).toBe(true);
    expect(parseLine(line.trimEnd())).toEqual({ kind: "stats", report: REPORT });
  });

  it("refuses a report with a missing or negative figure", () => {
    const { reconnects: _dropped, ...partial } = REPORT;
    expect(parseLine(JSON.stringify({ op: "stats", ...partial }))).toEqual({ kind: "rejected", reason: "invalid-shape" });
    expect(parseLine(JSON.stringify({ op: "stats", ...REPORT, queued: -1 }))).toEqual({ kind: "rejected", reason: "invalid-shape" });
  });
});
