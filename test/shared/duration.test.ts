import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../shared/duration.ts";

describe("formatDuration", () => {
  it("writes durations the way people write them, a fraction of a second included", () => {
    expect([900_000, 5_400_000, 500, 1500, 61_500, 1001, 30_000, 86_400_000].map(formatDuration)).toEqual([
      "15m", "1h30m", "500ms", "1.5s", "1m1.5s", "1.001s", "30s", "1d",
    ]);
  });

  it("reads back as the same number of milliseconds", () => {
    for (const ms of [1, 999, 1000, 1500, 61_500, 3_723_004, 90_061_001]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
