/**
 * The ingestor's own figures: what arrived, what went out, what was dropped and why. They are
 * logged and sent to the aggregator as `stats` lines, which shows them on the dashboard. In cluster
 * mode they are logged only, with the stream's own counters (published, acked, duplicates,
 * republished, dropped, pending).
 */
import type { IngestReport } from "../../shared/messages.ts";
import type { LineOutputStats } from "./output/line-output.ts";
import type { FilterReason } from "./posts/post-filter.ts";
import type { SkipReason } from "./posts/post-tracker.ts";

export class IngestStats {
  /** `update` events received. */
  statuses = 0;
  /** New posts sent on. */
  forwarded = 0;
  /** Hashtags in the posts sent on. */
  tags = 0;
  edits = 0;
  deletes = 0;
  reconnects = 0;
  /** Streaming connections open now. */
  connected = 0;
  /** Events whose payload lacked the fields the ingestor relies on. */
  malformed = 0;
  readonly skipped = new Map<SkipReason, number>();
  readonly filtered = new Map<FilterReason, number>();
  #rates = { statusesPerSecond: 0, tagsPerSecond: 0 };
  #sample: { readonly at: number; readonly statuses: number; readonly tags: number } | undefined;

  skip(reason: SkipReason, filter: FilterReason | undefined): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
    if (reason === "filtered" && filter !== undefined) this.filtered.set(filter, (this.filtered.get(filter) ?? 0) + 1);
  }

  /** Updates the per-second rates over the time since the previous call. */
  sampleRates(now: number): void {
    const previous = this.#sample;
    this.#sample = { at: now, statuses: this.statuses, tags: this.tags };
    if (previous === undefined || now <= previous.at) return;
    const seconds = (now - previous.at) / 1000;
    this.#rates = {
      statusesPerSecond: round((this.statuses - previous.statuses) / seconds),
      tagsPerSecond: round((this.tags - previous.tags) / seconds),
    };
  }

  report(output: LineOutputStats): IngestReport {
    return {
      statuses: this.statuses,
      forwarded: this.forwarded,
      tags: this.tags,
      edits: this.edits,
      deletes: this.deletes,
      ...this.#rates,
      reconnects: this.reconnects,
      duplicates: this.skipped.get("duplicate") ?? 0,
      filtered: Object.fromEntries(this.filtered),
      queued: output.queued,
      dropped: output.dropped,
      connected: this.connected,
    };
  }
}

/** What the periodic "ingest progress" log line holds. */
export function progressFields(stats: IngestStats, output: LineOutputStats & { readonly stream?: object }): object {
  return {
    ...stats.report(output),
    unconfirmed: output.unconfirmed ?? 0,
    skipped: Object.fromEntries(stats.skipped),
    ...(output.stream !== undefined && { stream: output.stream }),
  };
}

const round = (value: number): number => Math.round(value * 100) / 100;
