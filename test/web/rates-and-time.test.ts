import { describe, expect, it } from "vitest";
import { formatRate } from "../../web/src/lib/count-format.ts";
import { formatElapsed } from "../../web/src/lib/elapsed-format.ts";
import { freshnessOf, msUntilFreshnessChanges } from "../../web/src/lib/freshness.ts";
import { RateMeter } from "../../web/src/lib/rate-meter.ts";
import { sparkline } from "../../web/src/lib/sparkline.ts";

describe("rate meter", () => {
  it("measures posts and hashtags per second over about the last span", () => {
    const meter = new RateMeter(10_000);
    meter.add({ at: 0, lines: 0, tags: 0 });
    expect(meter.current).toBeUndefined();
    meter.add({ at: 2000, lines: 10, tags: 30 });
    expect(meter.current).toEqual({ postsPerSecond: 5, hashtagsPerSecond: 15 });
    for (let at = 4000; at <= 20_000; at += 2000) meter.add({ at, lines: 10 + (at - 2000) / 100, tags: 30 });
    // Base: the newest sample at least 10 s old (10 000 ms, 90 lines); newest: 20 000 ms, 190 lines.
    expect(meter.current).toEqual({ postsPerSecond: 10, hashtagsPerSecond: 0 });
  });

  it("ignores a snapshot seen twice and starts over when the totals go down", () => {
    const meter = new RateMeter();
    meter.add({ at: 0, lines: 0, tags: 0 });
    meter.add({ at: 1000, lines: 4, tags: 4 });
    meter.add({ at: 1000, lines: 4, tags: 4 });
    expect(meter.current).toEqual({ postsPerSecond: 4, hashtagsPerSecond: 4 });
    meter.add({ at: 2000, lines: 1, tags: 1 });
    expect(meter.current).toBeUndefined();
  });
});

describe("freshness", () => {
  it("is late after two trigger intervals without a snapshot, down without a connection", () => {
    expect(freshnessOf("connecting", undefined, undefined, undefined)).toBe("connecting");
    expect(freshnessOf("open", 2000, 1000, 1)).toBe("live");
    expect(freshnessOf("open", 2001, 1000, 1)).toBe("late");
    expect(freshnessOf("reconnecting", 10, 1000, 1)).toBe("down");
    expect(freshnessOf("closed", 10, 1000, 1)).toBe("down");
  });

  it("wakes at the next whole second of age or when the ranking turns late", () => {
    expect(msUntilFreshnessChanges(300, 10_000)).toBe(700);
    expect(msUntilFreshnessChanges(150, 100)).toBe(51);
    expect(msUntilFreshnessChanges(5000, 100)).toBe(1000);
  });
});

describe("formats", () => {
  it("writes elapsed time in one or two units", () => {
    expect(formatElapsed(400)).toBe("0 s");
    expect(formatElapsed(3999)).toBe("3 s");
    expect(formatElapsed(125_000)).toBe("2 min");
    expect(formatElapsed(125_000, 2)).toBe("2 min 5 s");
    expect(formatElapsed(7_200_000, 2)).toBe("2 h");
    expect(formatElapsed(3 * 86_400_000 + 4 * 3_600_000 + 60_000, 2)).toBe("3 d 4 h");
  });

  it("writes rates with one decimal below 100", () => {
    expect(formatRate(0)).toBe("0.0");
    expect(formatRate(4.25)).toBe("4.3");
    expect(formatRate(1234.5)).toBe("1,235");
  });
});

describe("sparkline", () => {
  it("right-aligns the history on a shared time axis and scales to the tag's own range", () => {
    expect(sparkline([], 5, 100, 20)).toBeUndefined();
    expect(sparkline([2, 4, 3], 5, 104, 24, 2)).toEqual({
      line: "52,22 77,2 102,12",
      area: "52,24 52,22 77,2 102,12 102,24",
      last: { x: 102, y: 12 },
    });
  });

  it("draws a tag going from 100 to 101 nearly flat", () => {
    const geometry = sparkline([100, 101], 2, 100, 24, 2);
    expect(geometry?.line).toBe("2,12.4 98,11.6");
  });
});
