import { describe, expect, it } from "vitest";
import { metricValue } from "../support/metric-value.ts";
import { ingestMetricsRegistry, type StreamFigures } from "../../server/metrics/ingest-metrics.ts";
import type { IngestReport } from "../../shared/messages.ts";

const report: IngestReport = {
  statuses: 12, forwarded: 10, tags: 31, edits: 2, deletes: 1, statusesPerSecond: 0, tagsPerSecond: 0,
  reconnects: 3, duplicates: 2, filtered: {}, queued: 4, dropped: 1, connected: 2,
};


describe("the ingestor's metrics", () => {
  it("read the stream publisher's counters at scrape time in cluster mode", async () => {
    let stream: StreamFigures = { published: 5, acked: 4, duplicates: 1, republished: 2, dropped: 0, pending: 1 };
    const registry = ingestMetricsRegistry({ report: () => report, stream: () => stream });
    const first = await registry.metrics();
    expect([
      metricValue(first, "tagstream_ingest_forwarded_total"),
      metricValue(first, "tagstream_ingest_reconnects_total"),
      metricValue(first, "tagstream_ingest_duplicates_total"),
      metricValue(first, "tagstream_stream_published_total"),
      metricValue(first, "tagstream_stream_acked_total"),
      metricValue(first, "tagstream_stream_duplicates_total"),
      metricValue(first, "tagstream_stream_republished_total"),
      metricValue(first, "tagstream_stream_acks_pending"),
    ]).toEqual([10, 3, 2, 5, 4, 1, 2, 1]);
    stream = { ...stream, acked: 5, pending: 0 };
    const second = await registry.metrics();
    expect([metricValue(second, "tagstream_stream_acked_total"), metricValue(second, "tagstream_stream_acks_pending")]).toEqual([5, 0]);
  });

  it("leave the stream's figures out without a stream", async () => {
    const exposition = await ingestMetricsRegistry({ report: () => report, stream: () => undefined }).metrics();
    expect(metricValue(exposition, "tagstream_ingest_queued_lines")).toBe(4);
    expect(exposition).not.toContain("tagstream_stream_");
  });
});
