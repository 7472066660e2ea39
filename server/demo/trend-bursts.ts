/**
 * Trending bursts: at any moment a few tags get extra weight that rises over a few minutes, peaks
 * and fades over several more, the way news or a live event moves a hashtag. The schedule is a
 * pure function of the seed and the time asked about: bursts are drawn in start order from their
 * own random stream and extended lazily as later times are asked for (time must not go back).
 */
import { createSeededRandom } from "./seeded-random.ts";

export interface TrendBurst {
  /** 0-based rank of the boosted tag in the vocabulary. */
  readonly rank: number;
  readonly startMs: number;
  readonly peakMs: number;
  readonly endMs: number;
  /** Extra weight at the peak, as a fraction of the whole vocabulary's base weight. */
  readonly strength: number;
}

export interface TrendSchedule {
  /** Bursts active at this time with their current extra weight (same unit as `strength`). */
  at(nowMs: number): Array<{ readonly burst: TrendBurst; readonly weight: number }>;
}

export interface TrendScheduleOptions {
  readonly seed: number;
  readonly vocabularySize: number;
  /** Time the schedule starts from; bursts already under way at that time are included. */
  readonly originMs: number;
  /** Mean gap between burst starts. Default 150 s, which keeps about four running at once. */
  readonly meanGapMs?: number;
}

const MINUTE = 60_000;

export function createTrendSchedule(options: TrendScheduleOptions): TrendSchedule {
  const random = createSeededRandom(options.seed);
  const meanGapMs = options.meanGapMs ?? 150_000;
  // Top tags are busy anyway; trends come from the long tail, which is what makes them visible.
  const firstRank = Math.min(5, options.vocabularySize - 1);
  let bursts: TrendBurst[] = [];
  let nextStartMs = options.originMs - 12 * MINUTE;

  const draw = (): void => {
    const startMs = nextStartMs;
    const peakMs = startMs + random.between(1, 4) * MINUTE;
    const endMs = peakMs + random.between(3, 12) * MINUTE;
    const rank = firstRank + random.int(Math.max(1, options.vocabularySize - firstRank));
    bursts.push({ rank, startMs, peakMs, endMs, strength: random.between(0.03, 0.15) });
    // Gaps of at most 1.5 means (3.75 min by default) and bursts of at least 4 min: never a moment
    // without a trend.
    nextStartMs += meanGapMs * random.between(0.5, 1.5);
  };

  const weightAt = (burst: TrendBurst, nowMs: number): number => {
    if (nowMs <= burst.startMs || nowMs >= burst.endMs) return 0;
    const rising = nowMs < burst.peakMs;
    const progress = rising
      ? (nowMs - burst.startMs) / (burst.peakMs - burst.startMs)
      : (burst.endMs - nowMs) / (burst.endMs - burst.peakMs);
    // Smoothstep: no sudden jumps at either end of the rise or the fade.
    return burst.strength * progress * progress * (3 - 2 * progress);
  };

  return {
    at(nowMs) {
      while (nextStartMs <= nowMs) draw();
      // Finished bursts are forgotten, so times asked about must not go backwards past them.
      bursts = bursts.filter((burst) => burst.endMs > nowMs);
      return bursts
        .filter((burst) => burst.startMs < nowMs && burst.endMs > nowMs)
        .map((burst) => ({ burst, weight: weightAt(burst, nowMs) }));
    },
  };
}
