import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BucketLog } from "../../../server/aggregator/engine/bucket-log.ts";

type Entry = [id: number, delta: number];
type Op = { kind: "append"; entries: Entry[] } | { kind: "drop"; count: number } | { kind: "evict"; id: number } | { kind: "sweep" } | { kind: "retract"; back: number; index: number };

// Buckets of up to 40 entries in chunks of 32: buckets share chunks, outgrow them, and sweeps move them across.
const entries = fc.array(fc.tuple(fc.nat(29), fc.integer({ min: 1, max: 9 })), { maxLength: 40, size: "max" });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: entries.map((e) => ({ kind: "append" as const, entries: e })) },
  { weight: 2, arbitrary: fc.nat(3).map((count) => ({ kind: "drop" as const, count })) },
  { weight: 1, arbitrary: fc.nat(29).map((id) => ({ kind: "evict" as const, id })) },
  { weight: 1, arbitrary: fc.constant({ kind: "sweep" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retract" as const), back: fc.nat(5), index: fc.nat(50) }) },
);

describe("BucketLog", () => {
  it("holds exactly the buckets a list of copies would, through expiry, sweeping, chunks of every kind and retraction", () => {
    fc.assert(
      // A window of `held` buckets, as a sliding window keeps: the oldest leaves as each new one comes.
      fc.property(fc.array(op, { maxLength: 60, size: "max" }), fc.integer({ min: 1, max: 5 }), (ops, held) => {
        const log = new BucketLog(32);
        // The model: each held bucket's live entries; an evicted id's entries of earlier epochs are dead.
        const model: Array<{ epoch: number; entries: Entry[] }> = [];
        const tenure = new Map<number, number>();
        const current = (id: number, epoch: number): boolean => epoch >= (tenure.get(id) ?? 0);
        log.keepOnly(current);
        let epoch = 0;
        for (const step of ops) {
          if (step.kind === "append") {
            epoch++;
            const at = log.reserve(step.entries.length);
            const { ids, deltas } = log.entries;
            step.entries.forEach(([id, delta], i) => {
              ids[at + i] = id;
              deltas[at + i] = delta;
            });
            log.commit(epoch, epoch * 100, at, step.entries.length);
            model.push({ epoch, entries: step.entries.map(([id, delta]): Entry => [id, delta]) });
            if (model.length > held) {
              log.dropBefore(log.end - held);
              model.splice(0, model.length - held);
            }
          } else if (step.kind === "drop") {
            log.dropBefore(log.start + step.count);
            model.splice(0, step.count);
          } else if (step.kind === "evict") {
            tenure.set(step.id, epoch + 1);
          } else if (step.kind === "sweep") {
            log.sweep();
          } else if (model.length > 0) {
            const held = model[Math.max(0, model.length - 1 - step.back)] as { epoch: number; entries: Entry[] };
            const bucket = log.bucket(log.find(held.epoch, log.start));
            const index = step.index % Math.max(1, bucket.ids.length);
            if (bucket.ids.length > 0) {
              // Retraction writes through the bucket's view; find the same entry among the model's live ones.
              const live = held.entries.filter(([id]) => current(id, held.epoch));
              const before = live.slice(0, index).length;
              if (bucket.ids.length === live.length) {
                bucket.deltas[index] = (bucket.deltas[index] as number) - 1;
                (live[before] as Entry)[1]--;
              }
            }
          }
          expect(log.end - log.start).toBe(model.length);
          model.forEach(({ epoch: e, entries: expected }, i) => {
            const bucket = log.bucket(log.start + i);
            expect(bucket.epoch).toBe(e);
            expect(log.closedAtOf(log.start + i)).toBe(e * 100);
            const live = expected.filter(([id]) => current(id, e)).join(" ");
            const got = Array.from(bucket.ids, (id, k): Entry => [id, bucket.deltas[k] as number]).filter(([id]) => current(id, e));
            expect(got.join(" ")).toBe(live);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
