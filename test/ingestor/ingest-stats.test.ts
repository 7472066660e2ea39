import { describe, expect, it } from "vitest";
import { IngestStats, progressFields } from "../../server/ingestor/ingest-stats.ts";

const OUTPUT = { sent: 7, dropped: 2, queued: 5, connected: true };

describe("IngestStats", () => {
  it("reports rates over the interval between two samples", () => {
    const stats = new IngestStats();
    stats.sampleRates(0);
    expect(stats.report(OUTPUT)).toMatchObject({ statusesPerSecond: 0, tagsPerSecond: 0 });
    stats.statuses = 30;
    stats.tags = 12;
    stats.sampleRates(4_000);
    expect(stats.report(OUTPUT)).toMatchObject({ statusesPerSecond: 7.5, tagsPerSecond: 3 });
    stats.statuses = 31;
    stats.sampleRates(7_000);
    expect(stats.report(OUTPUT)).toMatchObject({ statusesPerSecond: 0.33, tagsPerSecond: 0 });
  });

  it("counts left-out posts by reason and duplicates apart, with the output's queue", () => {
    const stats = new IngestStats();
    stats.skip("filtered", "bot");
    stats.skip("filtered", "bot");
    stats.skip("filtered", "language");
    stats.skip("duplicate", undefined);
    stats.skip("unseen", undefined);
    expect(stats.report(OUTPUT)).toEqual({
      statuses: 0,
      forwarded: 0,
      tags: 0,
      edits: 0,
      deletes: 0,
      statusesPerSecond: 0,
      tagsPerSecond: 0,
      reconnects: 0,
      duplicates: 1,
      filtered: { bot: 2, language: 1 },
      queued: 5,
      dropped: 2,
      connected: 0,
    });
  });

  it("logs the stream's counters with the progress when the output publishes to the stream", () => {
    const stats = new IngestStats();
    stats.skip("duplicate", undefined);
    const stream = { published: 9, acked: 7, duplicates: 1, republished: 3, dropped: 0, pending: 2 };
    expect(progressFields(stats, { ...OUTPUT, stream })).toMatchObject({ queued: 5, dropped: 2, unconfirmed: 0, skipped: { duplicate: 1 }, stream });
    expect(progressFields(stats, OUTPUT)).not.toHaveProperty("stream");
  });
});
