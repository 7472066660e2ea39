/**
 * Trend scores on a crafted history: evergreen tags used by the same accounts every slot, a spam
 * account repeating one tag, and a burst over many new accounts. Only the burst scores, and its
 * best score decays with the half-life once it is over.
 */
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { trendScore } from "../../../server/aggregator/engine/trend-scores.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
const TREND = { windowMs: 10 * SECOND, baselineMs: 30 * SECOND, threshold: 3, halfLifeMs: 20 * SECOND };

function setup() {
  let now = T0;
  const engine = new CountingEngine({
    windows: [{ kind: "sliding", lengthMs: 60 * SECOND }, { kind: "complete" }],
    topN: 10,
    now,
    accounts: { capacity: 10_000, trend: TREND },
  });
  // Every 5 s: the evergreen tag by the same four accounts, the spam account 20 times, then `extra`.
  const tick = (extra: () => void = () => {}): void => {
    for (const acct of ["e1", "e2", "e3", "e4"]) engine.ingestPost(["photography"], { acct: `${acct}@x` });
    for (let i = 0; i < 20; i++) engine.ingestPost(["buynow"], { acct: "bot@spam" });
    extra();
    now += 5 * SECOND;
    engine.tick(now);
  };
  const burst = (): void => {
    for (let i = 1; i <= 6; i++) engine.ingestPost(["eclipse"], { acct: `b${i}@y` });
  };
  return { engine, tick, burst, at: () => now };
}

describe("trendScore", () => {
  it("is Mastodon's (observed − expected)² / expected above the expected and the threshold, else 0", () => {
    expect(trendScore(14, 2, 5)).toBe(72);
    expect(trendScore(6, 1, 5)).toBe(25);
    expect(trendScore(4, 1, 5)).toBe(0);
    expect(trendScore(5, 5, 5)).toBe(0);
    expect(trendScore(3, 4, 1)).toBe(0);
  });
});

describe("trend scores over a crafted history", () => {
  it("gives no score before one whole baseline slot has closed", () => {
    const { engine, tick, burst } = setup();
    tick();
    tick(burst); // +10 s: the first slot (0–10 s) has not yet closed before the trend window
    expect(engine.top("1m", 5, "trend")).toEqual([]);
    expect(engine.trendOf("eclipse")).toEqual({ score: 0, observed: 6, expected: undefined });
  });

  it("surfaces the burst, not the evergreen tag or the spam, and decays its best score", () => {
    const { engine, tick, burst, at } = setup();
    for (let i = 0; i < 6; i++) tick(); // +5 … +30 s: three baseline slots of the usual
    tick(burst); // +35 s
    tick(burst); // +40 s
    // Baseline at +40 s: slots 0–10, 10–20, 20–30 s. photography: 4 accounts each, observed 4.
    expect(engine.trendOf("photography")).toEqual({ score: 0, observed: 4, expected: 4 });
    expect(engine.trendOf("buynow")).toEqual({ score: 0, observed: 1, expected: 1 });
    expect(engine.trendOf("eclipse")).toEqual({ score: 25, observed: 6, expected: 1 });
    expect(engine.top("1m", 5, "trend")).toEqual([
      { tag: "eclipse", count: 12, rank: 1, accounts: 6, score: 25, observed: 6, expected: 1 },
    ]);
    expect(engine.top("1m", 2, "posts")?.map((e) => [e.tag, e.count, e.accounts, e.score])).toEqual([
      ["buynow", 160, 1, 0],
      ["photography", 32, 4, 0],
    ]);
    expect(engine.top("1m", 2, "accounts")?.map((e) => e.tag)).toEqual(["eclipse", "photography"]);
    expect(engine.latest.windows[0]?.byTrend?.map((e) => e.tag)).toEqual(["eclipse"]);

    tick(); // +45 s: the 40 s interval is still in the 10 s trend window: the score holds
    expect(engine.trendOf("eclipse")?.score).toBe(25);
    const peak = at();
    for (let i = 0; i < 5; i++) tick(); // +70 s: the burst left the trend window 20 s ago
    expect(engine.trendOf("eclipse")?.observed).toBe(0);
    expect(engine.trendOf("eclipse")?.score).toBeCloseTo(25 * 0.5 ** ((at() - peak) / TREND.halfLifeMs), 10);
    expect(engine.top("1m", 5, "trend")?.[0]).toMatchObject({ tag: "eclipse", score: 10.51, observed: 0 });
  });

  it("expects what the baseline usually held, so a usual tag at its usual level never trends", () => {
    const { engine, tick } = setup();
    const more = (): void => {
      for (let i = 1; i <= 8; i++) engine.ingestPost(["coffee"], { acct: `c${i}@z` });
    };
    for (let i = 0; i < 12; i++) tick(more);
    expect(engine.trendOf("coffee")).toEqual({ score: 0, observed: 8, expected: 8 });
  });

  it("keeps baseline and scores across an export and restore", () => {
    const { engine, tick, burst } = setup();
    for (let i = 0; i < 6; i++) tick();
    tick(burst);
    tick(burst);
    const restored = CountingEngine.restore(engine.exportState(), {
      windows: [{ kind: "sliding", lengthMs: 60 * SECOND }, { kind: "complete" }],
      topN: 10,
      accounts: { capacity: 10_000, trend: TREND },
    });
    expect(restored.trendOf("eclipse")).toEqual(engine.trendOf("eclipse"));
    expect(restored.trendOf("photography")).toEqual({ score: 0, observed: 4, expected: 4 });
  });
});
