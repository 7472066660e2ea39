/**
 * What the demo stages on top of the ordinary traffic, so that the three rankings differ on screen
 * within minutes of `npm start`:
 *
 * - a spam account repeating one tag (`SPAM_TAG`), loud enough to be near the top by posts, yet a
 *   single account, so ranking by accounts demotes it and it never trends;
 * - a genuine burst (`BURST_TAG`): posts by many ordinary accounts that rise from nothing a couple
 *   of minutes after the start, hold, and fade, again every `period`, so ranking by trend puts it
 *   first while it lasts;
 * - evergreen tags need no staging: the vocabulary's most used tags are big every minute, and so
 *   expected, and never trend.
 *
 * Pure: a function of the time asked about and the origin (the first time asked about).
 */
export const SPAM_TAG = "megadeals";
export const BURST_TAG = "auroraborealis";

export interface DemoScenarioOptions {
  /** Share of all posts the spam account writes. Default 0.06. */
  readonly spamShare?: number;
  /** Share of all posts in the burst at its height. Default 0.1. */
  readonly burstShare?: number;
  /** From the origin to the burst's first rise. Default 2.5 minutes. */
  readonly burstStartMs?: number;
  /** How long the burst rises, holds and fades. Defaults 1, 6 and 3 minutes. */
  readonly riseMs?: number;
  readonly holdMs?: number;
  readonly fadeMs?: number;
  /** The burst comes back this long after each start. Default 30 minutes. */
  readonly periodMs?: number;
}

export interface DemoScenario {
  readonly spamShare: number;
  /** The burst's share of posts at `nowMs` (0 outside it). */
  burstShareAt(nowMs: number): number;
}

const MINUTE = 60_000;

export function createDemoScenario(originMs: number, options: DemoScenarioOptions = {}): DemoScenario {
  const peak = options.burstShare ?? 0.1;
  const start = options.burstStartMs ?? 2.5 * MINUTE;
  const rise = options.riseMs ?? MINUTE;
  const hold = options.holdMs ?? 6 * MINUTE;
  const fade = options.fadeMs ?? 3 * MINUTE;
  const period = Math.max(options.periodMs ?? 30 * MINUTE, rise + hold + fade);
  return {
    spamShare: options.spamShare ?? 0.06,
    burstShareAt(nowMs) {
      const since = nowMs - originMs - start;
      if (since < 0) return 0;
      const t = since % period;
      if (t < rise) return (peak * t) / rise;
      if (t < rise + hold) return peak;
      if (t < rise + hold + fade) return peak * (1 - (t - rise - hold) / fade);
      return 0;
    },
  };
}
