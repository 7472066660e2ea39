import { deserialize, serialize } from "node:v8";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CountingEngine, type EngineOptions } from "../../../server/aggregator/engine/counting-engine.ts";
import type { EngineState } from "../../../server/aggregator/engine/engine-state.ts";

const T0 = Date.UTC(2026, 0, 1);

type Step = { kind: "ingest"; tags: string[] } | { kind: "retract"; tags: string[]; back: number } | { kind: "tick"; stepMs: number };

const tag = fc.oneof(fc.constantFrom("a", "b", "é", "zz"), fc.nat(40).map((n) => `t${n}`));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.array(tag, { minLength: 1, maxLength: 6 }).map((tags) => ({ kind: "ingest" as const, tags })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retract" as const), tags: fc.array(tag, { minLength: 1, maxLength: 2 }), back: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tick" as const), stepMs: fc.integer({ min: 1000, max: 20_000 }) }) },
);

function play(engine: CountingEngine, steps: readonly Step[], start: number): number {
  let now = start;
  for (const s of steps) {
    if (s.kind === "ingest") engine.ingest(s.tags);
    else if (s.kind === "retract") engine.retract(s.tags, Math.max(1, engine.openEpoch - s.back));
    else engine.tick((now += s.stepMs));
  }
  return now;
}

/** Everything a reader can see of an engine. */
function view(engine: CountingEngine, names: readonly string[]) {
  return {
    latest: engine.latest,
    openEpoch: engine.openEpoch,
    ingested: engine.ingested,
    tops: engine.windowNames.map((w) => engine.top(w, 1000)),
    counts: names.map((n) => [engine.countsOf(n), engine.errorsOf(n)]),
  };
}

describe("exportState / restore", () => {
  const names = ["a", "b", "é", "zz", ...Array.from({ length: 41 }, (_, i) => `t${i}`)];

  for (const capacity of [undefined, 8]) {
    it(`restores an identical engine${capacity ? " under a capacity" : ""}, through binary serialisation`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 80 }), fc.array(step, { maxLength: 80 }), (before, after) => {
          const options: Omit<EngineOptions, "now"> = {
            windows: [{ kind: "sliding", lengthMs: 30_000 }, { kind: "complete" }],
            topN: 5,
            ...(capacity !== undefined && { capacity }),
          };
          const original = new CountingEngine({ ...options, now: T0 });
          const now = play(original, before, T0);
          const state = deserialize(serialize(original.exportState())) as EngineState;
          const restored = CountingEngine.restore(state, options);
          expect(view(restored, names)).toEqual(view(original, names));
          play(original, after, now);
          play(restored, after, now);
          expect(view(restored, names)).toEqual(view(original, names));
        }),
        { numRuns: 150 },
      );
    });
  }

  it("refuses state for other windows", () => {
    const engine = new CountingEngine({ windows: [{ kind: "complete" }], topN: 5, now: T0 });
    expect(() => CountingEngine.restore(engine.exportState(), { windows: [{ kind: "sliding", lengthMs: 60_000 }], topN: 5 })).toThrow(
      "state has windows complete, options 1m",
    );
  });
});
