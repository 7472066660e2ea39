import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startTriggerLoop } from "../../server/aggregator/trigger-loop.ts";

describe("trigger loop", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires on the beat, k × interval after the start", () => {
    const fired: number[] = [];
    const loop = startTriggerLoop(1000, (now) => fired.push(now));
    vi.advanceTimersByTime(3500);
    expect(fired).toEqual([1000, 2000, 3000]);
    loop.stop();
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual([1000, 2000, 3000]);
  });

  it("takes a shorter interval from the next beat: one new interval after the last beat", () => {
    const fired: number[] = [];
    const loop = startTriggerLoop(1000, (now) => fired.push(now));
    vi.advanceTimersByTime(2300);
    loop.setInterval(200);
    expect(loop.intervalMs).toBe(200);
    vi.advanceTimersByTime(700);
    // Last beat at 2000, so 2200 has passed: the next tick fires at once (2300), then every 200 ms.
    expect(fired).toEqual([1000, 2000, 2300, 2500, 2700, 2900]);
    loop.stop();
  });

  it("takes a longer interval without waiting out the old one", () => {
    const fired: number[] = [];
    const loop = startTriggerLoop(1000, (now) => fired.push(now));
    vi.advanceTimersByTime(1100);
    loop.setInterval(3000);
    vi.advanceTimersByTime(7000);
    expect(fired).toEqual([1000, 4000, 7000]);
    loop.stop();
  });

  it("moves from an hour to two seconds without waiting for the hour", () => {
    const fired: number[] = [];
    const loop = startTriggerLoop(3_600_000, (now) => fired.push(now));
    vi.advanceTimersByTime(1000);
    loop.setInterval(2000);
    vi.advanceTimersByTime(4500);
    expect(fired).toEqual([2000, 4000]);
    loop.stop();
  });
});
