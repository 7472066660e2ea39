/**
 * The ingestor's figures in Prometheus' text format, read from its stats at scrape time (nothing
 * is counted twice: IngestStats and the output's counters stay the one record). In cluster mode
 * they include the stream publisher's: acks pending, duplicates JetStream suppressed, re-publishes.
 */
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { IngestReport } from "../../shared/messages.ts";
import type { StreamCounters } from "../nats/stream-publisher.ts";

/** What the metrics read: the ingestor's report, and the stream's counters when it publishes to one. */
export interface IngestMetricsSources {
  report(): IngestReport;
  stream(): StreamFigures | undefined;
}

/** The stream publisher's counters, as it keeps them. */
export type StreamFigures = StreamCounters;

type Reading = (sources: IngestMetricsSources) => number | undefined;

/** name -> help and how to read it. Counters that only grow are exposed as gauges read at scrape time. */
const FIGURES: ReadonlyArray<readonly [string, string, Reading]> = [
  ["tagstream_ingest_statuses_total", "Posts received from the Mastodon servers (update events).", (s) => s.report().statuses],
  ["tagstream_ingest_forwarded_total", "New posts sent on.", (s) => s.report().forwarded],
  ["tagstream_ingest_hashtags_total", "Hashtags in the posts sent on.", (s) => s.report().tags],
  ["tagstream_ingest_edits_total", "Edits sent on.", (s) => s.report().edits],
  ["tagstream_ingest_deletes_total", "Deletes sent on.", (s) => s.report().deletes],
  ["tagstream_ingest_reconnects_total", "Streaming connections made again.", (s) => s.report().reconnects],
  ["tagstream_ingest_duplicates_total", "Posts this ingestor had seen already (another server's copy).", (s) => s.report().duplicates],
  ["tagstream_ingest_streams_connected", "Streaming connections open now.", (s) => s.report().connected],
  ["tagstream_ingest_queued_lines", "Lines waiting to be sent (or, in cluster mode, acknowledged).", (s) => s.report().queued],
  ["tagstream_ingest_dropped_lines_total", "Lines lost: the queue's bound was reached.", (s) => s.report().dropped],
  ["tagstream_stream_published_total", "Post events published to the stream.", (s) => s.stream()?.published],
  ["tagstream_stream_acked_total", "Publishes the stream acknowledged.", (s) => s.stream()?.acked],
  ["tagstream_stream_duplicates_total", "Publishes JetStream suppressed as duplicates (same message id within its window).", (s) => s.stream()?.duplicates],
  ["tagstream_stream_republished_total", "Publishes sent again with the same id after a failure.", (s) => s.stream()?.republished],
  ["tagstream_stream_dropped_total", "Lines dropped unpublished: the queue's bound was reached.", (s) => s.stream()?.dropped],
  ["tagstream_stream_acks_pending", "Lines published or queued and not yet acknowledged.", (s) => s.stream()?.pending],
];

export function ingestMetricsRegistry(sources: IngestMetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const [name, help, read] of FIGURES) {
    // Stream figures exist only in cluster mode: without a stream they are left out, not shown as 0.
    if (name.startsWith("tagstream_stream_") && sources.stream() === undefined) continue;
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(sources) ?? 0);
      },
    });
  }
  return registry;
}
