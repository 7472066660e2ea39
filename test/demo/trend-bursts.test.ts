/** Trending bursts rise, peak and fade, and depend only on the seed and the time asked about. */
import { describe, expect, it } from "vitest";

import { createTrendSchedule } from "../../server/demo/trend-bursts.ts";
import { createZipfSampler } from "../../server/demo/zipf-sampler.ts";

const ORIGIN = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

describe("createTrendSchedule", () => {
  it("has a few bursts under way at any time", () => {
    const schedule = createTrendSchedule({ seed: 4, vocabularySize: 300, originMs: ORIGIN });
    const running = Array.from({ length: 120 }, (_, minute) => schedule.at(ORIGIN + minute * MINUTE).length);
    expect(Math.min(...running)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...running)).toBeLessThanOrEqual(14);
    expect(running.reduce((sum, count) => sum + count, 0) / running.length).toBeGreaterThan(2);
  });

  it("raises a burst from zero to its strength at the peak and back to zero", () => {
    const schedule = createTrendSchedule({ seed: 9, vocabularySize: 300, originMs: ORIGIN });
    const later = ORIGIN + 30 * MINUTE;
    const burst = schedule.at(later).find((entry) => entry.burst.startMs > ORIGIN)?.burst;
    if (burst === undefined) throw new Error("expected a burst that started after the origin");
    const probe = createTrendSchedule({ seed: 9, vocabularySize: 300, originMs: ORIGIN });
    const weightAt = (time: number): number =>
      probe.at(time).find((entry) => entry.burst.startMs === burst.startMs)?.weight ?? 0;

    const rising = burst.startMs + (burst.peakMs - burst.startMs) / 2;
    const fading = burst.peakMs + (burst.endMs - burst.peakMs) / 2;
    const weights = [burst.startMs, rising, burst.peakMs, fading, burst.endMs].map(weightAt);
    expect(weights[0]).toBe(0);
    expect(weights[1]).toBeCloseTo(burst.strength / 2, 10);
    expect(weights[2]).toBeCloseTo(burst.strength, 10);
    expect(weights[3]).toBeCloseTo(burst.strength / 2, 10);
    expect(weights[4]).toBe(0);
    expect(burst.rank).toBeGreaterThanOrEqual(5);
  });
});

describe("createZipfSampler", () => {
  it("gives rank r a share proportional to 1 / r^s", () => {
    const zipf = createZipfSampler(100, 1.1);
    expect(zipf.probability(0) / zipf.probability(49)).toBeCloseTo(50 ** 1.1, 6);
    expect(zipf.rankFor(0)).toBe(0);
    expect(zipf.rankFor(0.999_999)).toBe(99);
    expect(zipf.rankFor(zipf.probability(0) + 1e-9)).toBe(1);
  });
});
