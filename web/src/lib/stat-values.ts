/** The figures of the stats panels, as text: rates, totals, uptime. */
import type { Snapshot } from "../../../shared/messages.ts";
import { formatCount, formatRate } from "./count-format.ts";
import { formatElapsed } from "./elapsed-format.ts";
import type { Rates } from "./rate-meter.ts";

export type StatKey = "postsPerSecond" | "hashtagsPerSecond" | "lines" | "tags" | "distinct" | "rejected" | "ingestors" | "uptime";

export const STAT_LABELS: Readonly<Record<StatKey, { label: string; hint: string }>> = {
  postsPerSecond: { label: "Posts / s", hint: "Posts per second: the ingestors' own figure, else counted over about the last ten seconds" },
  hashtagsPerSecond: { label: "Hashtags / s", hint: "Hashtag uses per second: the ingestors' own figure, else counted over about the last ten seconds" },
  lines: { label: "Posts", hint: "Posts counted since start" },
  tags: { label: "Hashtags", hint: "Hashtag uses counted since start" },
  distinct: { label: "Distinct tags", hint: "Different hashtags seen since start; ≈ marks an estimate, once more have been seen than the server keeps" },
  rejected: { label: "Rejected", hint: "Lines refused at the intake since start" },
  ingestors: { label: "Ingestors", hint: "Ingest connections open right now" },
  uptime: { label: "Uptime", hint: "Time since the aggregator started" },
};

export interface StatInputs {
  readonly snapshot: Snapshot | undefined;
  /** The rates measured from consecutive snapshots (rate-meter.ts). */
  readonly rates: Rates | undefined;
  /** The aggregator's start, by its clock. */
  readonly startedAt: number | undefined;
  /** How long ago the snapshot arrived, by this browser's clock. */
  readonly ageMs: number | undefined;
}

const NONE = "–";

/**
 * The rates to show. The ingestors measure their own (`snapshot.ingest`, reported every few
 * seconds), so those are known from the first snapshot on, where measuring needs two snapshots a
 * trigger apart; they are kept while reported, so the figure never changes basis mid-run. The
 * measured rates serve feeders that report nothing (plain lines, Spark mode).
 */
export function shownRates(snapshot: Snapshot | undefined, measured: Rates | undefined): Rates | undefined {
  const ingest = snapshot?.ingest;
  if (ingest === undefined) return measured;
  return { postsPerSecond: ingest.statusesPerSecond, hashtagsPerSecond: ingest.tagsPerSecond };
}

export function statValue(key: StatKey, { snapshot, rates: measured, startedAt, ageMs }: StatInputs): string {
  const rates = key === "postsPerSecond" || key === "hashtagsPerSecond" ? shownRates(snapshot, measured) : undefined;
  switch (key) {
    case "postsPerSecond":
      return rates === undefined ? NONE : formatRate(rates.postsPerSecond);
    case "hashtagsPerSecond":
      return rates === undefined ? NONE : formatRate(rates.hashtagsPerSecond);
    case "uptime": {
      // Both ends by the server's clock, plus the time since: immune to a skewed browser clock.
      if (snapshot === undefined || startedAt === undefined) return NONE;
      const at = Date.parse(snapshot.at);
      return Number.isNaN(at) ? NONE : formatElapsed(at - startedAt + (ageMs ?? 0), 2);
    }
    case "distinct":
      // Past ENGINE_CAPACITY the server estimates (a HyperLogLog of the names seen): say so.
      if (snapshot === undefined) return NONE;
      return `${snapshot.stats.distinctEstimated === true ? "≈" : ""}${formatCount(snapshot.stats.distinct)}`;
    default:
      return snapshot === undefined ? NONE : formatCount(snapshot.stats[key]);
  }
}
