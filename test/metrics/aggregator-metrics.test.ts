import { describe, expect, it } from "vitest";
import { AggregatorMetrics, type MetricsSources } from "../../server/metrics/aggregator-metrics.ts";

const noSources: MetricsSources = {
  counters: () => ({ lines: 0, tags: 0, distinct: 0 }),
  rejected: () => new Map(),
  closedConnections: () => new Map(),
  droppedTags: () => new Map(),
  ingestors: () => 0,
  epoch: () => 0,
};

const valueIn = (text: string) => (name: string): string | undefined =>
  text.split("\n").find((line) => line.startsWith(`${name} `))?.split(" ")[1];

describe("AggregatorMetrics", () => {
  it("exposes the engine's and the intake's totals at scrape time, and recorded events", async () => {
    const rejected = new Map([["invalid-json", 2], ["too-long", 1]]);
    let lines = 10;
    const metrics = new AggregatorMetrics(
      {
        counters: () => ({ lines, tags: 25, distinct: 7 }),
        rejected: () => rejected,
        closedConnections: () => new Map([["unauthorised", 4]]),
        droppedTags: () => new Map([["too-long", 5], ["invalid", 0]]),
        ingestors: () => 1,
        epoch: () => 42,
      },
      () => 61_000,
    );
    metrics.observeTick(0.002);
    metrics.addBroadcast(1500);
    metrics.addBroadcast(500);
    metrics.setClients(3);
    metrics.observeEventTime(59_500, 61_000);
    metrics.checkpointWritten(1_000);
    metrics.unknownClientMessage();
    metrics.slowClientDropped();
    metrics.slowClientDropped();
    lines = 11;

    const text = await metrics.registry.metrics();
    const value = valueIn(text);
    expect(value("tagstream_lines_total")).toBe("11");
    expect(value("tagstream_tags_total")).toBe("25");
    expect(value("tagstream_distinct_tags")).toBe("7");
    expect(value("tagstream_ingestors")).toBe("1");
    expect(value("tagstream_ticks_total")).toBe("42");
    expect(value("tagstream_broadcast_bytes_total")).toBe("2000");
    expect(value("tagstream_websocket_clients")).toBe("3");
    expect(value("tagstream_checkpoint_age_seconds")).toBe("60");
    expect(value("tagstream_tick_duration_seconds_count")).toBe("1");
    expect(value("tagstream_event_time_lag_seconds_count")).toBe("1");
    expect(value("tagstream_event_time_lag_seconds_sum")).toBe("1.5");
    expect(text).toContain('tagstream_rejected_lines_total{reason="invalid-json"} 2');
    expect(text).toContain('tagstream_rejected_lines_total{reason="too-long"} 1');
    expect(text).toContain('tagstream_ingest_connections_closed_total{reason="unauthorised"} 4');
    expect(text).toContain('tagstream_dropped_tags_total{reason="too-long"} 5');
    expect(text).toContain('tagstream_dropped_tags_total{reason="invalid"} 0');
    expect(value("tagstream_websocket_unknown_messages_total")).toBe("1");
    expect(value("tagstream_websocket_slow_clients_dropped_total")).toBe("2");
    expect(text).toContain("process_cpu_seconds_total");
  });

  it("types every total as a Prometheus counter, read again at each scrape", async () => {
    let lines = 10;
    const rejected = new Map([["invalid-json", 2]]);
    const metrics = new AggregatorMetrics({
      ...noSources,
      counters: () => ({ lines, tags: 25, distinct: 7 }),
      rejected: () => rejected,
      closedConnections: () => new Map([["idle-timeout", 1]]),
      droppedTags: () => new Map([["invalid", 3]]),
      epoch: () => 4,
    });
    const first = await metrics.registry.metrics();
    for (const name of [
      "tagstream_lines_total",
      "tagstream_tags_total",
      "tagstream_ticks_total",
      "tagstream_rejected_lines_total",
      "tagstream_ingest_connections_closed_total",
      "tagstream_dropped_tags_total",
      "tagstream_checkpoint_failures_total",
      "tagstream_event_time_ignored_total",
    ]) {
      expect(first).toContain(`# TYPE ${name} counter\n`);
    }
    expect(first).toContain("# TYPE tagstream_distinct_tags gauge\n");
    expect(first).toContain("# TYPE tagstream_ingestors gauge\n");
    // A second scrape reports the totals as they are then, not added to the first.
    lines = 12;
    rejected.set("invalid-json", 5);
    const second = valueIn(await metrics.registry.metrics());
    expect(second("tagstream_lines_total")).toBe("12");
    expect(second('tagstream_rejected_lines_total{reason="invalid-json"}')).toBe("5");
    expect(second('tagstream_ingest_connections_closed_total{reason="idle-timeout"}')).toBe("1");
    expect(second("tagstream_ticks_total")).toBe("4");
  });

  it("counts checkpoint failures", async () => {
    const metrics = new AggregatorMetrics(noSources);
    expect(valueIn(await metrics.registry.metrics())("tagstream_checkpoint_failures_total")).toBe("0");
    metrics.checkpointFailed();
    metrics.checkpointFailed();
    expect(valueIn(await metrics.registry.metrics())("tagstream_checkpoint_failures_total")).toBe("2");
  });

  it("leaves absurd post times out of the event-time lag and counts them by reason", async () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const metrics = new AggregatorMetrics(noSources, () => now);
    const day = 24 * 3600 * 1000;
    metrics.observeEventTime(now - 2_000, now); // 2 s late
    metrics.observeEventTime(now + 60_000, now); // a minute ahead: skew, no lag
    metrics.observeEventTime(now - 29 * day, now); // old but plausible
    metrics.observeEventTime(-1e15, now);
    metrics.observeEventTime(-1, now);
    metrics.observeEventTime(now + 5 * 60_000 + 1, now);
    metrics.observeEventTime(now + 365 * day, now);
    metrics.observeEventTime(now - 30 * day - 1, now);
    metrics.observeEventTime(0, now);
    const value = valueIn(await metrics.registry.metrics());
    expect(value("tagstream_event_time_lag_seconds_count")).toBe("3");
    expect(value("tagstream_event_time_lag_seconds_sum")).toBe(String(2 + 0 + 29 * 24 * 3600));
    expect(value('tagstream_event_time_lag_seconds_bucket{le="2"}')).toBe("2");
    expect(value('tagstream_event_time_ignored_total{reason="negative"}')).toBe("2");
    expect(value('tagstream_event_time_ignored_total{reason="future"}')).toBe("2");
    expect(value('tagstream_event_time_ignored_total{reason="too-old"}')).toBe("2");
  });

  it("shows every reason for ignored post times at 0 before the first", async () => {
    const value = valueIn(await new AggregatorMetrics(noSources).registry.metrics());
    for (const reason of ["negative", "future", "too-old"]) expect(value(`tagstream_event_time_ignored_total{reason="${reason}"}`)).toBe("0");
  });
});
