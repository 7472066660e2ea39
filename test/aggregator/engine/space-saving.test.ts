import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
const windows: WindowSpec[] = [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "complete" }];

const times = (tag: string, n: number): string[] => Array.from({ length: n }, () => tag);

describe("CountingEngine with a capacity (Space-Saving)", () => {
  it("is exact, with no error fields, while the distinct tags fit", () => {
    const bounded = new CountingEngine({ windows, topN: 5, now: T0, capacity: 3 });
    const unbounded = new CountingEngine({ windows, topN: 5, now: T0 });
    for (const e of [bounded, unbounded]) {
      e.ingest(["a", "b", "a"]);
      e.ingest(["c"]);
    }
    expect(bounded.tick(T0 + SECOND)).toEqual(unbounded.tick(T0 + SECOND));
    expect(bounded.errorsOf("a")).toEqual({ "30s": 0, complete: 0 });
  });

  it("evicts the smallest estimate past the capacity and reports every bound", () => {
    const e = new CountingEngine({ windows, topN: 5, now: T0, capacity: 2 });
    e.ingest(times("a", 5));
    e.ingest(times("b", 3));
    e.tick(T0 + 10 * SECOND);
    e.ingest(["c"]);
    e.tick(T0 + 20 * SECOND);
    // c (1) leaves: the floor is 1, the most an unheld tag can have been counted.
    expect(e.countsOf("c")).toEqual({ "30s": 0, complete: 0 });
    expect(e.errorsOf("c")).toEqual({ "30s": 1, complete: 1 });
    e.ingest(times("d", 3));
    const r = e.tick(T0 + 30 * SECOND);
    // d enters at the floor (1) plus its 3: estimate 4 with error 1; b (3) leaves, the floor is 3.
    expect(r.windows).toEqual([
      { window: "30s", top: [{ tag: "a", count: 5, rank: 1 }, { tag: "d", count: 3, rank: 2, error: 1 }] },
      { window: "complete", top: [{ tag: "a", count: 5, rank: 1 }, { tag: "d", count: 4, rank: 2, error: 1 }] },
    ]);
    expect(e.errorsOf("b")).toEqual({ "30s": 3, complete: 3 });
    expect(r.counters).toEqual({ lines: 4, tags: 12, distinct: 4, distinctEstimated: true });
    // Once d's tenure is older than the sliding window, its sliding count is exact again.
    e.ingest(["d"]);
    e.tick(T0 + 70 * SECOND);
    expect(e.countsOf("d")).toEqual({ "30s": 1, complete: 5 });
    expect(e.errorsOf("d")).toEqual({ "30s": 0, complete: 1 });
  });

  it("ignores retractions of tags no longer held, or held again since", () => {
    const e = new CountingEngine({ windows, topN: 5, now: T0, capacity: 1 });
    const first = e.openEpoch;
    e.ingest(times("a", 2));
    e.tick(T0 + SECOND);
    e.ingest(["b"]);
    e.tick(T0 + 2 * SECOND);
    e.retract(["b"], first);
    e.retract(["a"], first);
    e.tick(T0 + 3 * SECOND);
    expect(e.countsOf("a")).toEqual({ "30s": 1, complete: 1 });
    expect(e.countsOf("b")).toEqual({ "30s": 0, complete: 0 });
  });

  it("keeps the top 20 of a Zipf stream right, each true count within its bound", () => {
    const e = new CountingEngine({ windows: [{ kind: "complete" }], topN: 20, now: T0, capacity: 500 });
    const truth = new Map<string, number>();
    let state = 7;
    const uniform = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (let tick = 1; tick <= 20; tick++) {
      for (let i = 0; i < 2000; i++) {
        // Zipf-like ranks over 20,000 names: rank ~ 1/u, capped.
        const tag = `t${Math.min(19_999, Math.floor(1 / (uniform() + 1e-9)) - 1)}`;
        truth.set(tag, (truth.get(tag) ?? 0) + 1);
        e.ingest([tag]);
      }
      e.tick(T0 + tick * SECOND);
    }
    const exact = [...truth].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 20).map(([t]) => t);
    const top = e.latest.windows[0]?.top ?? [];
    expect(top.map((t) => t.tag)).toEqual(exact);
    for (const entry of top) {
      const real = truth.get(entry.tag) ?? 0;
      expect(real).toBeLessThanOrEqual(entry.count);
      expect(real).toBeGreaterThanOrEqual(entry.count - (entry.error ?? 0));
    }
  });
});
