/**
 * Distinct tags past the capacity: exact below it, and above it a HyperLogLog estimate that does
 * not count a tag twice when it is evicted and admitted again, within a stated bound: 2.5 %, about
 * three standard errors of the sketch (0.81 %). Names and hashes are fixed, so every figure here
 * is deterministic.
 */
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { DistinctSketch } from "../../../server/aggregator/engine/distinct-sketch.ts";
import { IntakeStats } from "../../../server/aggregator/state/intake-stats.ts";
import { buildSnapshot } from "../../../server/aggregator/state/snapshot-builder.ts";
import { TagHistory } from "../../../server/aggregator/state/tag-history.ts";
import { hashBytes } from "../../../server/aggregator/engine/tag-bytes.ts";
import { snapshotSchema } from "../../../shared/messages.ts";

const BOUND = 0.025;
const T0 = Date.UTC(2026, 0, 1);
const hashOf = (name: string): number => {
  const bytes = Buffer.from(name, "utf8");
  return hashBytes(bytes, 0, bytes.length);
};
const relativeError = (estimate: number, truth: number): number => Math.abs(estimate - truth) / truth;

describe("DistinctSketch", () => {
  it("estimates within 2.5 % from a hundred names to a million, and ignores names added again", () => {
    const sketch = new DistinctSketch();
    let added = 0;
    for (const target of [100, 1000, 10_000, 100_000, 1_000_000]) {
      for (; added < target; added++) sketch.add(hashOf(`tag${added}`));
      // Every name again: nothing changes.
      const before = sketch.estimate();
      for (let i = 0; i < Math.min(target, 10_000); i++) sketch.add(hashOf(`tag${i}`));
      expect(sketch.estimate()).toBe(before);
      expect(relativeError(before, target)).toBeLessThan(BOUND);
    }
  });

  it("comes back from its registers with the same estimate", () => {
    const sketch = new DistinctSketch();
    for (let i = 0; i < 50_000; i++) sketch.add(hashOf(`n${i}`));
    const copy = new DistinctSketch(sketch.exportState());
    expect(copy.estimate()).toBe(sketch.estimate());
    expect(() => new DistinctSketch(new Uint8Array(10))).toThrow(RangeError);
  });

  it("keeps its estimate as it goes equal to one summed afresh from its registers, restored or not", () => {
    const sketch = new DistinctSketch();
    let restored = new DistinctSketch(sketch.exportState());
    let added = 0;
    for (const target of [1, 10, 1000, 40_000, 120_000]) {
      for (; added < target; added++) {
        sketch.add(hashOf(`r${added}`));
        restored.add(hashOf(`r${added}`));
      }
      expect(new DistinctSketch(sketch.exportState()).estimate()).toBe(sketch.estimate());
      expect(restored.estimate()).toBe(sketch.estimate());
      restored = new DistinctSketch(restored.exportState());
    }
  });
});

describe("CountingEngine distinct past its capacity", () => {
  /** 10 heavy names every tick, and 200 light ones cycling through 2,000: evicted, then back. */
  function stream(engine: CountingEngine, ticks: number): void {
    let light = 0;
    for (let tick = 1; tick <= ticks; tick++) {
      for (let i = 0; i < 10; i++) engine.ingest([`heavy${i}`, `heavy${i}`, `heavy${i}`]);
      for (let i = 0; i < 200; i++) engine.ingest([`light${light++ % 2000}`]);
      engine.tick(T0 + tick * 1000);
    }
  }

  it("is exact and not flagged below the capacity", () => {
    const engine = new CountingEngine({ windows: [{ kind: "complete" }], topN: 5, now: T0, capacity: 5000 });
    stream(engine, 50);
    expect(engine.latest.counters).toEqual({ lines: 50 * 210, tags: 50 * 230, distinct: 2010 });
  });

  it("does not count re-admitted tags again, says it is an estimate, and keeps the estimate across a restore", () => {
    const options = { windows: [{ kind: "complete" as const }], topN: 5, capacity: 100 };
    const engine = new CountingEngine({ ...options, now: T0 });
    stream(engine, 50);
    const { distinct, distinctEstimated } = engine.latest.counters;
    expect(distinctEstimated).toBe(true);
    // Counting admissions would give about 50 × 200 = 10,000.
    expect(relativeError(distinct, 2010)).toBeLessThan(BOUND);

    const restored = CountingEngine.restore(engine.exportState(), options);
    expect(restored.latest.counters).toEqual(engine.latest.counters);
    for (let i = 0; i < 1000; i++) restored.ingest([`fresh${i}`]);
    restored.tick(T0 + 60_000);
    expect(relativeError(restored.latest.counters.distinct, 3010)).toBeLessThan(BOUND);
    expect(restored.latest.counters.distinctEstimated).toBe(true);
  });

  it("puts the flag on the snapshot past the capacity only, as the shared schema reads it", () => {
    const options = { windows: [{ kind: "complete" as const }], topN: 5 };
    const settings = { triggerMs: 1000, topN: 5, windows: ["complete"], title: undefined, startedAt: T0 };
    const snapshotOf = (engine: CountingEngine) =>
      snapshotSchema.parse(JSON.parse(JSON.stringify(buildSnapshot(engine.latest, new IntakeStats(), settings, new TagHistory(["complete"], 30)))));
    const below = new CountingEngine({ ...options, now: T0, capacity: 5000 });
    const above = new CountingEngine({ ...options, now: T0, capacity: 100 });
    stream(below, 10);
    stream(above, 10);
    expect(snapshotOf(below).stats).toEqual({ lines: 2100, tags: 2300, distinct: 2010, rejected: 0, ingestors: 0 });
    const { stats } = snapshotOf(above);
    expect(stats.distinctEstimated).toBe(true);
    expect(relativeError(stats.distinct, 2010)).toBeLessThan(BOUND);
  });
});
