/**
 * Which post times the event-time lag histogram takes.
 *
 * A line's `ts` is whatever the writer put there: one absurd value (a `ts` of -1e15, a clock a year
 * ahead) would move the histogram's sum for as long as the process runs and make its mean
 * meaningless. So a time outside a plausible range is left out of the histogram and counted by
 * reason instead. The range: no earlier than the Unix epoch; at most 5 minutes ahead of the
 * aggregator's clock (clock skew between hosts; a smaller lead counts as no lag); at most 30 days
 * old (live posts arrive within seconds to hours of their `created_at`; an older one comes from a
 * recording replayed long after, and its lag says nothing about the pipeline).
 */

export const MAX_EVENT_TIME_LEAD_MS = 5 * 60 * 1000;
export const MAX_EVENT_TIME_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export type EventTimeProblem = "negative" | "future" | "too-old";
export const EVENT_TIME_PROBLEMS: readonly EventTimeProblem[] = ["negative", "future", "too-old"];

/** Why `ts` (ms since the epoch) is not a plausible post time at `now`, or undefined when it is. */
export function eventTimeProblem(ts: number, now: number): EventTimeProblem | undefined {
  if (ts < 0) return "negative";
  if (ts - now > MAX_EVENT_TIME_LEAD_MS) return "future";
  if (now - ts > MAX_EVENT_TIME_AGE_MS) return "too-old";
  return undefined;
}
