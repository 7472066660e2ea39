/**
 * Event time through the real intake, the snapshot and /metrics: JSON lines dated late, too late
 * and in the future, on a virtual clock, with TIME=event's watermark.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const line = (tag: string, tsMs: number): string => `${JSON.stringify({ tags: [tag], ts: T0 + tsMs, acct: "a@x" })}\n`;

describe("event time over the socket", () => {
  it("counts late posts in their own interval, drops too-late ones from sliding windows, clamps future ones, and says so", async () => {
    let now = T0;
    harness = await startHarness({
      windows: [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "complete" }],
      clock: () => now,
      metrics: true,
      eventTime: { allowedLatenessMs: 60 * SECOND },
    });
    const h = harness;
    for (let t = 10; t <= 100; t += 10) {
      now = T0 + t * SECOND;
      h.aggregator.tick();
    }
    now = T0 + 105 * SECOND;
    await h.sendLines(
      line("fresh", 105 * SECOND) + // newest: the watermark is 45 s
        line("late", 85 * SECOND) + // the interval (80, 90 s]: in the 30 s window until 120 s
        line("old", 65 * SECOND) + // (60, 70 s]: the 30 s window lets it go at 110 s
        line("toolate", 40 * SECOND) + // older than the watermark: complete only
        line("skewed", 3_600 * SECOND) + // from the future: counted at its arrival
        "plain\n",
    );
    now = T0 + 110 * SECOND;
    const { snapshot } = h.aggregator.tick();
    const counts = (window: string) => Object.fromEntries((snapshot.windows.find((w) => w.window === window)?.top ?? []).map((e) => [e.tag, e.count]));
    expect(counts("30s")).toEqual({ fresh: 1, late: 1, skewed: 1, plain: 1 });
    expect(counts("complete")).toEqual({ fresh: 1, late: 1, old: 1, toolate: 1, skewed: 1, plain: 1 });
    expect(snapshot.stats).toMatchObject({ lines: 6, late: 1, beforeWindow: 1, future: 1, noAccount: 1 });
    now = T0 + 120 * SECOND;
    const later = h.aggregator.tick().snapshot.windows[0]?.top.map((e) => e.tag);
    expect(later).toEqual(["fresh", "plain", "skewed"]);

    const metrics = await (await fetch(`${h.httpUrl}/metrics`)).text();
    expect(metrics).toContain("tagstream_posts_late_total 1");
    expect(metrics).toContain("tagstream_posts_before_window_total 1");
    expect(metrics).toContain("tagstream_posts_future_total 1");
    expect(metrics).toContain(`tagstream_watermark_seconds ${(T0 + 45 * SECOND) / 1000}`);
  });
});
