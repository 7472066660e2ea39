/**
 * Edits and deletions on a scripted timeline: the ledger takes back from each window exactly what
 * a post counted there, from the interval it was counted in.
 */
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { heldBytes, PostLedger } from "../../../server/aggregator/state/post-ledger.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);

function setup(maxAgeMs = 3_600_000) {
  let now = T0;
  const engine = new CountingEngine({ windows: [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "complete" }], topN: 20, now });
  const ledger = new PostLedger(engine, { maxEntries: 1000, maxAgeMs }, () => now);
  const tick = (): void => {
    now += 10 * SECOND;
    engine.tick(now);
  };
  const counts = (...tags: string[]): Array<Record<string, number>> => tags.map((tag) => engine.countsOf(tag));
  return { engine, ledger, tick, counts };
}

describe("PostLedger", () => {
  it("takes a repeated id as the same post: a duplicate counts nothing, other tags replace the held ones", () => {
    const { ledger, tick, counts, engine } = setup();
    ledger.post(["rust"], { id: "u1" });
    ledger.post(["rust"], { id: "u1" });
    ledger.post(["rust"], {});
    tick();
    expect(counts("rust", "go")).toEqual([
      { "30s": 2, complete: 2 },
      { "30s": 0, complete: 0 },
    ]);
    expect(engine.latest.counters.lines).toBe(2);
    ledger.post(["go", "go"], { id: "u1" });
    tick();
    expect(counts("rust", "go")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 2, complete: 2 },
    ]);
    expect(ledger.stats).toMatchObject({ held: 1, repeated: 2, edits: 0 });
    ledger.delete("u1");
    tick();
    expect(counts("rust", "go")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 0, complete: 0 },
    ]);
    expect(ledger.bytes).toBe(0);
  });

  it("holds at most one line's tags per id however often the id comes back", () => {
    const { ledger, tick, counts } = setup();
    const version = (v: number): string[] => Array.from({ length: 64 }, (_, k) => `t${(v + k) % 100}`);
    for (let v = 0; v < 5000; v++) ledger.post(version(v), { id: "same" });
    tick();
    const last = version(4999);
    const state = ledger.exportState();
    expect(state.ids).toEqual(["same"]);
    expect([...state.lengths]).toEqual([64]);
    expect([...state.tags].sort()).toEqual([...last].sort());
    expect(ledger.bytes).toBe(heldBytes("same", last));
    // Counted as the last version alone: t99 is in it, t70 is not.
    expect(counts("t99", "t70")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 0, complete: 0 },
    ]);
  });

  it("forgets the oldest posts beyond maxBytes and keeps the bound across a restore", () => {
    const now = T0;
    const engine = new CountingEngine({ windows: [{ kind: "complete" }], topN: 20, now });
    const perPost = heldBytes("p00", ["a", "b"]);
    const ledger = new PostLedger(engine, { maxEntries: 1000, maxAgeMs: 3_600_000, maxBytes: perPost * 3 }, () => now);
    for (let i = 0; i < 10; i++) ledger.post(["a", "b"], { id: `p${String(i).padStart(2, "0")}` });
    expect(ledger.stats.held).toBe(3);
    expect(ledger.bytes).toBe(perPost * 3);
    expect(ledger.exportState().ids).toEqual(["p07", "p08", "p09"]);
    // An edit that grows a post pushes out the oldest.
    ledger.update("p09", ["a", "b", "c"]);
    expect(ledger.exportState().ids).toEqual(["p08", "p09"]);
    expect(ledger.bytes).toBe(perPost + heldBytes("p09", ["a", "b", "c"]));
    ledger.delete("p00");
    expect(ledger.stats.unknown).toBe(1);

    const smaller = new PostLedger(engine, { maxEntries: 1000, maxAgeMs: 3_600_000, maxBytes: perPost * 1.5 }, () => now);
    smaller.load(ledger.exportState());
    expect(smaller.exportState().ids).toEqual(["p09"]);
    expect(smaller.bytes).toBe(heldBytes("p09", ["a", "b", "c"]));
  });

  it("applies an edit: removed tags leave the interval they were counted in, added ones count now", () => {
    const { ledger, tick, counts } = setup();
    ledger.post(["a", "b"], { id: "u1" });
    tick();
    ledger.update("u1", ["b", "c"]);
    tick();
    expect(counts("a", "b", "c")).toEqual([
      { "30s": 0, complete: 0 },
      { "30s": 1, complete: 1 },
      { "30s": 1, complete: 1 },
    ]);
    expect(ledger.stats).toMatchObject({ edits: 1 });
  });

  it("applies an edit in the same interval as its post", () => {
    const { ledger, tick, counts } = setup();
    ledger.post(["a", "b"], { id: "u1" });
    ledger.update("u1", ["a"]);
    tick();
    expect(counts("a", "b")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 0, complete: 0 },
    ]);
  });

  it("matches repeated tags occurrence by occurrence", () => {
    const { ledger, tick, counts } = setup();
    ledger.post(["a", "a", "b"], { id: "u1" });
    tick();
    ledger.update("u1", ["a", "b", "b"]);
    tick();
    expect(counts("a", "b")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 2, complete: 2 },
    ]);
  });

  it("deletes from every window that still holds the post, and only from those", () => {
    const { ledger, tick, counts } = setup();
    ledger.post(["old"], { id: "u1" });
    ledger.post(["new"], { id: "u2" });
    tick();
    tick();
    tick();
    tick(); // the 30 s window has let go of the first interval
    ledger.post(["old"], { id: "u3" });
    tick();
    ledger.delete("u1");
    ledger.delete("u3");
    tick();
    expect(counts("old", "new")).toEqual([
      { "30s": 0, complete: 0 },
      { "30s": 0, complete: 1 },
    ]);
    expect(ledger.stats).toMatchObject({ deletes: 2 });
  });

  it("takes back an edited post's tags each from its own interval", () => {
    const { ledger, tick, counts } = setup();
    ledger.post(["a"], { id: "u1" });
    tick();
    ledger.update("u1", ["a", "b"]);
    tick();
    ledger.delete("u1");
    tick();
    expect(counts("a", "b")).toEqual([
      { "30s": 0, complete: 0 },
      { "30s": 0, complete: 0 },
    ]);
  });

  it("forgets a deleted post: a second deletion or an edit changes nothing, a new line counts as before", () => {
    const { ledger, tick, counts } = setup();
    ledger.post(["a"], { id: "u1" });
    ledger.delete("u1");
    ledger.delete("u1");
    ledger.update("u1", ["b"]);
    tick();
    expect(counts("a", "b")).toEqual([
      { "30s": 0, complete: 0 },
      { "30s": 0, complete: 0 },
    ]);
    ledger.post(["a"], { id: "u1" });
    tick();
    expect(counts("a")).toEqual([{ "30s": 1, complete: 1 }]);
    expect(ledger.stats).toEqual({ held: 1, repeated: 0, edits: 0, deletes: 1, unknown: 2 });
  });

  it("ignores edits and deletions of posts it does not remember, or no longer", () => {
    const { ledger, tick, counts } = setup(15 * SECOND);
    ledger.update("never", ["x"]);
    ledger.delete("never");
    ledger.post(["a"], { id: "u1" });
    tick();
    tick(); // 20 s later: forgotten
    ledger.delete("u1");
    tick();
    expect(counts("a", "x")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 0, complete: 0 },
    ]);
    expect(ledger.stats).toMatchObject({ held: 0, unknown: 3 });
  });
});
