import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const T0 = Date.UTC(2026, 0, 1);

function engine(windows: WindowSpec[], topN = 20): CountingEngine {
  return new CountingEngine({ windows, topN, now: T0 });
}

const pairs = (result: ReturnType<CountingEngine["tick"]>, window: string): Array<[string, number]> =>
  (result.windows.find((w) => w.window === window)?.top ?? []).map((e) => [e.tag, e.count]);

describe("CountingEngine", () => {
  it("starts at epoch 0 with empty tops in every window", () => {
    const e = engine([{ kind: "sliding", lengthMs: 15 * MINUTE }, { kind: "complete" }]);
    expect(e.windowNames).toEqual(["15m", "complete"]);
    expect(e.latest).toEqual({
      epoch: 0,
      at: T0,
      windows: [
        { window: "15m", top: [] },
        { window: "complete", top: [] },
      ],
      counters: { lines: 0, tags: 0, distinct: 0 },
    });
  });

  it("counts nothing until the trigger, then exactly what arrived", () => {
    const e = engine([{ kind: "complete" }]);
    e.ingest(["rust", "python"]);
    e.ingest(["rust"]);
    expect(e.countsOf("rust")).toEqual({ complete: 0 });
    const result = e.tick(T0 + 10 * SECOND);
    expect(result.epoch).toBe(1);
    expect(result.at).toBe(T0 + 10 * SECOND);
    expect(result.windows[0]?.top).toEqual([
      { tag: "rust", count: 2, rank: 1 },
      { tag: "python", count: 1, rank: 2 },
    ]);
    expect(result.counters).toEqual({ lines: 2, tags: 3, distinct: 2 });
    expect(e.countsOf("rust")).toEqual({ complete: 2 });
    expect(e.countsOf("never")).toEqual({ complete: 0 });
  });

  it("orders ties by count descending, then tag ascending", () => {
    const e = engine([{ kind: "complete" }]);
    for (const tags of [["b", "a", "c"], ["c", "d"], ["zz"], ["a"], ["c"]]) e.ingest(tags);
    expect(pairs(e.tick(T0 + SECOND), "complete")).toEqual([
      ["c", 3],
      ["a", 2],
      ["b", 1],
      ["d", 1],
      ["zz", 1],
    ]);
  });

  it("keeps only the top N, with ranks 1..N", () => {
    const e = engine([{ kind: "complete" }], 3);
    for (let i = 0; i < 10; i++) e.ingest(Array.from({ length: i + 1 }, () => `tag${i}`));
    const top = e.tick(T0 + SECOND).windows[0]?.top;
    expect(top).toEqual([
      { tag: "tag9", count: 10, rank: 1 },
      { tag: "tag8", count: 9, rank: 2 },
      { tag: "tag7", count: 8, rank: 3 },
    ]);
    expect(e.top("complete", 5)?.map((x) => x.tag)).toEqual(["tag9", "tag8", "tag7", "tag6", "tag5"]);
    expect(e.top("nope", 5)).toBeUndefined();
  });

  it("expires data from a sliding window after its length, while complete keeps it", () => {
    const e = engine([{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "complete" }]);
    // Trigger every 10 s: the 30 s window holds the last three intervals.
    e.ingest(["old"]);
    e.tick(T0 + 10 * SECOND);
    e.ingest(["mid", "mid"]);
    e.tick(T0 + 20 * SECOND);
    e.ingest(["new"]);
    let r = e.tick(T0 + 30 * SECOND);
    expect(pairs(r, "30s")).toEqual([["mid", 2], ["new", 1], ["old", 1]]);
    r = e.tick(T0 + 40 * SECOND);
    expect(pairs(r, "30s")).toEqual([["mid", 2], ["new", 1]]);
    expect(e.countsOf("old")).toEqual({ "30s": 0, complete: 1 });
    r = e.tick(T0 + 50 * SECOND);
    expect(pairs(r, "30s")).toEqual([["new", 1]]);
    r = e.tick(T0 + 60 * SECOND);
    expect(pairs(r, "30s")).toEqual([]);
    expect(pairs(r, "complete")).toEqual([["mid", 2], ["new", 1], ["old", 1]]);
  });

  it("keeps sliding by time across a gap without triggers", () => {
    const e = engine([{ kind: "sliding", lengthMs: MINUTE }]);
    e.ingest(["before"]);
    e.tick(T0 + 10 * SECOND);
    e.ingest(["after"]);
    // One trigger five minutes later: "before" (closed at +10 s) is long gone, "after" just arrived.
    const r = e.tick(T0 + 5 * MINUTE);
    expect(pairs(r, "1m")).toEqual([["after", 1]]);
  });

  it("produces a snapshot on idle triggers too, with a new epoch and unchanged counts", () => {
    const e = engine([{ kind: "complete" }]);
    e.ingest(["rust"]);
    e.tick(T0 + 1 * SECOND);
    const idle = e.tick(T0 + 2 * SECOND);
    expect(idle.epoch).toBe(2);
    expect(idle.at).toBe(T0 + 2 * SECOND);
    expect(pairs(idle, "complete")).toEqual([["rust", 1]]);
  });

  it("counts a repeated tag in one line once per occurrence", () => {
    const e = engine([{ kind: "complete" }]);
    e.ingest(["fedi", "fedi", "fedi"]);
    e.ingest([]);
    const r = e.tick(T0 + SECOND);
    expect(pairs(r, "complete")).toEqual([["fedi", 3]]);
    expect(r.counters).toEqual({ lines: 2, tags: 3, distinct: 1 });
  });

  it("rejects duplicate window names", () => {
    expect(() => engine([{ kind: "sliding", lengthMs: 60_000 }, { kind: "sliding", lengthMs: 60_000 }])).toThrow(
      "window names must be distinct",
    );
  });
});

describe("CountingEngine.retract", () => {
  const windows: WindowSpec[] = [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "complete" }];

  it("takes back a post still in the open interval", () => {
    const e = engine(windows);
    const countedIn = e.openEpoch;
    e.ingest(["rust", "go"]);
    e.retract(["rust"], countedIn);
    expect(pairs(e.tick(T0 + 10 * SECOND), "complete")).toEqual([["go", 1]]);
  });

  it("takes back a post from every window that holds it, at the next tick", () => {
    const e = engine(windows);
    const countedIn = e.openEpoch;
    e.ingest(["rust"]);
    e.ingest(["rust"]);
    e.tick(T0 + 10 * SECOND);
    e.retract(["rust"], countedIn);
    expect(e.countsOf("rust")).toEqual({ "30s": 2, complete: 2 });
    e.tick(T0 + 20 * SECOND);
    expect(e.countsOf("rust")).toEqual({ "30s": 1, complete: 1 });
    // The interval expires from the sliding window subtracting only what remained in it.
    e.tick(T0 + 40 * SECOND);
    expect(e.countsOf("rust")).toEqual({ "30s": 0, complete: 1 });
  });

  it("leaves windows the interval has already left untouched", () => {
    const e = engine(windows);
    const countedIn = e.openEpoch;
    e.ingest(["rust"]);
    e.tick(T0 + 10 * SECOND);
    e.tick(T0 + 40 * SECOND);
    expect(e.countsOf("rust")).toEqual({ "30s": 0, complete: 1 });
    e.retract(["rust"], countedIn);
    e.tick(T0 + 50 * SECOND);
    expect(e.countsOf("rust")).toEqual({ "30s": 0, complete: 0 });
  });

  it("ignores tags that were not counted in that interval", () => {
    const e = engine(windows);
    e.ingest(["rust"]);
    e.tick(T0 + 10 * SECOND);
    const later = e.openEpoch;
    e.ingest(["go"]);
    e.tick(T0 + 20 * SECOND);
    e.retract(["rust", "never-seen"], later);
    e.tick(T0 + 30 * SECOND);
    expect(e.countsOf("rust")).toEqual({ "30s": 1, complete: 1 });
  });
});
