import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BucketLog } from "../../../server/aggregator/engine/bucket-log.ts";
import { CountRows } from "../../../server/aggregator/engine/count-rows.ts";
import { TouchedIds } from "../../../server/aggregator/engine/touched-ids.ts";

describe("TouchedIds", () => {
  // Ids of a few set bits each, so that ids in any summary word and any bit of a word are common.
  const id = fc.uniqueArray(fc.nat(30), { maxLength: 3 }).map((bits) => bits.reduce((value, bit) => value + 2 ** bit, 0));

  it("gives back every id marked, once, in increasing order, and is empty once cleared", () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 100 }), fc.constantFrom(2 ** 11, 2 ** 16, 2 ** 22), (raw, limit) => {
        const marked = raw.map((value) => value % limit);
        const touched = new TouchedIds(64);
        for (const value of marked) touched.mark(value);
        const expected = [...new Set(marked)].sort((a, b) => a - b);
        expect(touched.size).toBe(expected.length);
        const out = new Uint32Array(touched.size);
        expect(touched.inOrder(out)).toBe(expected.length);
        expect(Array.from(out)).toEqual(expected);
        expect(touched.inOrder(out, true)).toBe(expected.length);
        expect(touched.size).toBe(0);
        expect(touched.inOrder(out)).toBe(0);
      }),
    );
  });
});

describe("CountRows", () => {
  it("closes an interval into every column once per id, picking out the ids above each floor", () => {
    const rows = new CountRows(2);
    const expected = new Map<number, number>();
    let state = 3;
    for (let i = 0; i < 30_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const id = (state >>> 8) % 50_000;
      rows.add(id, 1);
      expected.set(id, (expected.get(id) ?? 0) + 1);
    }
    // A retraction back to nothing leaves the id out; one listed twice is counted once.
    rows.add(7, -(expected.get(7) ?? 0));
    rows.add(7, 2);
    rows.add(7, -2);
    expected.delete(7);
    rows.add(11, 1);
    expected.set(11, (expected.get(11) ?? 0) + 1);
    rows.addTotal(11, 1, 100);
    const risers: number[][] = [[], []];
    const log = new BucketLog();
    rows.close(1, 1000, Float64Array.of(Number.POSITIVE_INFINITY, 3), risers, log);
    const bucket = log.bucket(0);
    expect(bucket.ids.length).toBe(expected.size);
    expect(Array.from(bucket.ids)).toEqual([...expected.keys()].sort((a, b) => a - b));
    bucket.ids.forEach((id, i) => expect(bucket.deltas[i]).toBe(expected.get(id)));
    const totals = [...expected].map(([id, count]) => [rows.deltaOf(id), rows.total(id, 0) - count, rows.total(id, 1) - count]);
    expect(totals.filter(([delta, first, second]) => delta !== 0 || first !== 0 || second !== 0)).toEqual([[0, 0, 100]]);
    expect(risers[0]).toEqual([]);
    const above = Array.from(bucket.ids).filter((id) => rows.total(id, 1) > 3);
    expect(risers[1]).toEqual(above);
    rows.close(2, 2000, Float64Array.of(0, 0), [[], []], log);
    expect(log.bucket(1).ids.length).toBe(0);
  });
});
