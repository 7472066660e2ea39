/**
 * Edits and deletions on a scripted timeline: the ledger takes back from each window exactly what
 * a post counted there, from the interval it was counted in.
 */
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { PostLedger } from "../../../server/aggregator/state/post-ledger.ts";

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
  it("counts post lines as before, a repeated id included, and takes back all an id counted", () => {
    const { ledger, tick, counts, engine } = setup();
    ledger.post(["rust"], { id: "u1" });
    ledger.post(["rust", "go"], { id: "u1" });
    ledger.post(["rust"], {});
    tick();
    expect(counts("rust", "go")).toEqual([
      { "30s": 3, complete: 3 },
      { "30s": 1, complete: 1 },
    ]);
    expect(engine.latest.counters.lines).toBe(3);
    expect(ledger.stats).toMatchObject({ held: 1, repeated: 1 });
    ledger.delete("u1");
    tick();
    expect(counts("rust", "go")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 0, complete: 0 },
    ]);
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
