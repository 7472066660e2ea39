import { describe, expect, it } from "vitest";
import { AggregatorMetrics } from "../../server/metrics/aggregator-metrics.ts";

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
    metrics.observeEventLag(1.5);
    metrics.checkpointWritten(1_000);
    metrics.unknownClientMessage();
    metrics.slowClientDropped();
    metrics.slowClientDropped();
    lines = 11;

    const text = await metrics.registry.metrics();
    const value = (name: string): string | undefined => text.split("\n").find((line) => line.startsWith(`${name} `))?.split(" ")[1];
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
    expect(text).toContain('tagstream_rejected_lines_total{reason="invalid-json"} 2');
    expect(text).toContain('tagstream_rejected_lines_total{reason="too-long"} 1');
    expect(text).toContain('tagstream_ingest_connections_closed_total{reason="unauthorised"} 4');
    expect(text).toContain('tagstream_dropped_tags_total{reason="too-long"} 5');
    expect(text).toContain('tagstream_dropped_tags_total{reason="invalid"} 0');
    expect(value("tagstream_websocket_unknown_messages_total")).toBe("1");
    expect(value("tagstream_websocket_slow_clients_dropped_total")).toBe("2");
    expect(text).toContain("process_cpu_seconds_total");
  });
});
