import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PairTable } from "../../../server/aggregator/engine/pair-table.ts";

describe("PairTable", () => {
  it("holds what a Map keyed by both ids holds, through additions and deletions", () => {
    // Few distinct ids, so that keys collide, chains wrap around and deletions shift entries back.
    const op = fc.tuple(fc.boolean(), fc.nat(40), fc.nat(40));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const table = new PairTable<string>();
        const model = new Map<string, string>();
        ops.forEach(([add, first, second], index) => {
          const key = `${first},${second}`;
          if (add && !model.has(key)) {
            table.add(first, second, `v${index}`);
            model.set(key, `v${index}`);
          } else if (!add) {
            expect(table.delete(first, second)).toBe(model.delete(key));
          }
          expect(table.get(first, second)).toBe(model.get(key));
        });
        expect(table.size).toBe(model.size);
        for (let first = 0; first <= 40; first++) for (let second = 0; second <= 40; second++) expect(table.get(first, second)).toBe(model.get(`${first},${second}`));
      }),
      { numRuns: 100 },
    );
  });
});
