import { describe, expect, it } from "vitest";
import { grown, grownLength } from "../../../server/aggregator/engine/id-arrays.ts";

describe("grownLength", () => {
  it("doubles without a capacity", () => {
    expect(grownLength(1024, 1025)).toBe(2048);
    expect(grownLength(1024, 5000)).toBe(8192);
    expect(grownLength(1024, 10)).toBe(1024);
  });

  it("stops at the capacity, then grows by a sixteenth of it", () => {
    expect(grownLength(524_288, 524_289, 1_000_000)).toBe(1_000_000);
    expect(grownLength(1_000_000, 1_000_001, 1_000_000)).toBe(1_062_501);
    expect(grownLength(1_062_501, 1_100_000, 1_000_000)).toBe(1_162_500);
    expect(grownLength(1024, 1025, 8)).toBe(2048);
  });

  it("keeps what was held", () => {
    const array = grown(Float64Array.of(1, 2, 3), 4, 1_000_000);
    expect(Array.from(array)).toEqual([1, 2, 3, 0, 0, 0]);
  });
});
