/** The timer-driven publisher, on a virtual clock. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { startDemoTraffic } from "../../server/demo/demo-traffic.ts";
import type { StreamEvent } from "../../server/demo/stream-event.ts";

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2025, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

function recorder(): { published: StreamEvent[]; target: { domain: string; publish(event: StreamEvent): number } } {
  const published: StreamEvent[] = [];
  return { published, target: { domain: "mastodon.example", publish: (event) => published.push(event) } };
}

describe("startDemoTraffic", () => {
  it("publishes exactly the configured number of new posts per second without variation", () => {
    const { published, target } = recorder();
    const traffic = startDemoTraffic(target, { postsPerSecond: 20, rateVariation: 0, seed: 3 });

    vi.advanceTimersByTime(1_000);
    expect(traffic.posts()).toBe(20);
    vi.advanceTimersByTime(2_000);
    expect(traffic.posts()).toBe(60);
    expect(published.filter((event) => event.event === "update")).toHaveLength(60);

    traffic.stop();
    vi.advanceTimersByTime(1_000);
    expect(traffic.posts()).toBe(60);
  });

  it("catches up at most five seconds after a stall", () => {
    const { target } = recorder();
    const traffic = startDemoTraffic(target, { postsPerSecond: 10, rateVariation: 0, tickMs: 100 });
    vi.setSystemTime(Date.now() + 60_000);
    vi.advanceTimersByTime(100);
    expect(traffic.posts()).toBe(50);
    traffic.stop();
  });
});
