/**
 * How fresh the ranking on screen is, in one word a colour can carry: `live` (green), `late`
 * (amber: the connection is up but no snapshot came for more than two trigger intervals), `down`
 * (red: the connection dropped and a reconnect is pending), `unfed` (the aggregator is up and
 * ticking but no ingestor is connected, so nothing new can arrive) or `connecting` (before the
 * first).
 */
import type { ConnectionState } from "./connection-state.ts";

export type Freshness = "connecting" | "live" | "late" | "unfed" | "down";

/** Trigger intervals without a snapshot after which the ranking counts as late. */
export const LATE_AFTER_TRIGGERS = 2;

/**
 * `ingestors` is the shown snapshot's `stats.ingestors`, undefined before the first. A late
 * snapshot says more than its own count of ingestors, which may be out of date, so late wins.
 */
export function freshnessOf(
  connection: ConnectionState,
  ageMs: number | undefined,
  triggerMs: number | undefined,
  ingestors: number | undefined,
): Freshness {
  if (connection === "connecting") return "connecting";
  if (connection !== "open") return "down";
  if (ageMs !== undefined && triggerMs !== undefined && ageMs > LATE_AFTER_TRIGGERS * triggerMs) return "late";
  if (ingestors === 0) return "unfed";
  return "live";
}

/**
 * Milliseconds until what `freshnessOf` or an "updated N s ago" label says may change: the next
 * whole second of age, or the moment the ranking turns late, whichever comes first.
 */
export function msUntilFreshnessChanges(ageMs: number, triggerMs: number | undefined): number {
  const nextSecond = 1000 - (ageMs % 1000);
  const lateIn = triggerMs === undefined ? Infinity : LATE_AFTER_TRIGGERS * triggerMs - ageMs + 1;
  return Math.max(16, Math.min(nextSecond, lateIn > 0 ? lateIn : Infinity));
}
