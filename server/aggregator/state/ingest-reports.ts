/**
 * The latest figures each connected ingestor reported (the line protocol's `stats` op), summed for
 * the snapshot: two ingestors following different servers add up to one fediverse.
 */
import type { IngestReport } from "../../../shared/messages.ts";

type Figure = Exclude<keyof IngestReport, "filtered">;

const FIGURES: readonly Figure[] = [
  "statuses",
  "forwarded",
  "tags",
  "edits",
  "deletes",
  "statusesPerSecond",
  "tagsPerSecond",
  "reconnects",
  "duplicates",
  "queued",
  "dropped",
  "connected",
];

export class IngestReports {
  readonly #latest = new Map<object, IngestReport>();

  reported(peer: object, report: IngestReport): void {
    this.#latest.set(peer, report);
  }

  disconnected(peer: object): void {
    this.#latest.delete(peer);
  }

  /** The sum over connected ingestors, or undefined while none has reported. */
  total(): IngestReport | undefined {
    if (this.#latest.size === 0) return undefined;
    const total = Object.fromEntries(FIGURES.map((figure) => [figure, 0])) as Record<Figure, number>;
    const filtered: Record<string, number> = {};
    for (const report of this.#latest.values()) {
      for (const figure of FIGURES) total[figure] += report[figure];
      for (const [reason, count] of Object.entries(report.filtered)) filtered[reason] = (filtered[reason] ?? 0) + count;
    }
    return { ...total, filtered };
  }
}
