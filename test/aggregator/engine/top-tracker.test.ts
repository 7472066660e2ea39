import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";

const T0 = Date.UTC(2026, 0, 1);

type Op = { kind: "ingest"; tags: string[] } | { kind: "retract"; tags: string[]; back: number } | { kind: "tick"; stepMs: number };

// More names than the 64 tracked members, skewed so that a head forms and the tail churns.
const tag = fc.oneof(fc.constantFrom("a", "b", "ü", "zz"), fc.nat(199).map((n) => `t${Math.floor((n * n) / 200)}`));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.array(tag, { minLength: 1, maxLength: 12 }).map((tags) => ({ kind: "ingest" as const, tags })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retract" as const), tags: fc.array(tag, { minLength: 1, maxLength: 3 }), back: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tick" as const), stepMs: fc.integer({ min: 1000, max: 25_000 }) }) },
);

describe("incremental top-N", () => {
  it("always equals a full scan, through growth, expiry, retraction and ties", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        // Top 3 kept from 64 tracked members; a full scan answers any n above 64.
        const engine = new CountingEngine({ windows: [{ kind: "sliding", lengthMs: 30_000 }, { kind: "complete" }], topN: 3, now: T0 });
        let now = T0;
        for (const step of ops) {
          if (step.kind === "ingest") engine.ingest(step.tags);
          else if (step.kind === "retract") engine.retract(step.tags, Math.max(1, engine.openEpoch - step.back));
          else {
            now += step.stepMs;
            const result = engine.tick(now);
            for (const { window, top } of result.windows) {
              expect(top).toEqual(engine.top(window, 1000)?.slice(0, 3));
              expect(engine.top(window, 8)).toEqual(engine.top(window, 1000)?.slice(0, 8));
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
