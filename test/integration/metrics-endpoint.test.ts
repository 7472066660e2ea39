/**
 * `GET /metrics` on the real aggregator and app: what the intake counted, by reason, what the
 * WebSocket sent, and how late posts arrive, in Prometheus's text format.
 */
import net from "node:net";
import { once } from "node:events";
import WebSocket from "ws";
import { describe, expect, it } from "vitest";
import { harness, onCleanup, tickUntil, waitUntil } from "./ingest-fixture.ts";

function valueOf(text: string, series: string): string | undefined {
  return text.split("\n").find((line) => line.startsWith(`${series} `))?.slice(series.length + 1);
}

describe("GET /metrics", () => {
  it("exposes lines, tags, refusals and dropped tags by reason, ingestors, clients, ticks, broadcast bytes and event-time lag", async () => {
    const h = await harness({ windows: [{ kind: "complete" }], metrics: true });
    const client = new WebSocket(h.wsUrl);
    onCleanup(async () => void client.terminate());
    let receivedBytes = 0;
    let frames = 0;
    client.on("message", (data: Buffer) => {
      receivedBytes += data.length;
      frames++;
    });
    await once(client, "open");

    const ingest = net.createConnection(h.aggregator.intake.port, "127.0.0.1");
    onCleanup(async () => void ingest.destroy());
    await once(ingest, "connect");
    const fiveSecondsAgo = Date.now() - 5000;
    ingest.write(
      [
        "rust python",
        `{"tags":["rust"],"ts":${fiveSecondsAgo},"id":"https://a.example/s/1"}`,
        // Counted as a post, but its time is absurd: left out of the lag, counted as ignored.
        `{"tags":["go"],"ts":-1e15,"id":"https://a.example/s/2"}`,
        `zig ${"x".repeat(101)}`,
        "{nope",
        "rust\u0000",
        '{"op":"explode"}',
        "",
      ].join("\n"),
    );
    const { snapshot } = await tickUntil(h, (s) => s.stats.lines === 4 && s.stats.rejected === 3).then(() => h.aggregator.latest());
    // Hello, the snapshot at connection, one per tick.
    await waitUntil(() => frames === 2 + snapshot.epoch);

    const response = await fetch(`${h.httpUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(valueOf(text, "tagstream_lines_total")).toBe("4");
    expect(valueOf(text, "tagstream_tags_total")).toBe("5");
    expect(valueOf(text, "tagstream_distinct_tags")).toBe("4");
    for (const counter of ["lines", "tags", "ticks", "rejected_lines", "ingest_connections_closed", "dropped_tags", "event_time_ignored"]) {
      expect(text).toContain(`# TYPE tagstream_${counter}_total counter\n`);
    }
    expect(valueOf(text, "tagstream_ingestors")).toBe("1");
    expect(valueOf(text, "tagstream_websocket_clients")).toBe("1");
    expect(valueOf(text, 'tagstream_rejected_lines_total{reason="invalid-json"}')).toBe("1");
    expect(valueOf(text, 'tagstream_rejected_lines_total{reason="control-characters"}')).toBe("1");
    expect(valueOf(text, 'tagstream_rejected_lines_total{reason="unknown-op"}')).toBe("1");
    expect(valueOf(text, 'tagstream_dropped_tags_total{reason="too-long"}')).toBe("1");
    expect(valueOf(text, 'tagstream_dropped_tags_total{reason="invalid"}')).toBe("0");
    expect(valueOf(text, "tagstream_ticks_total")).toBe(String(h.aggregator.latest().snapshot.epoch));
    expect(valueOf(text, "tagstream_event_time_lag_seconds_count")).toBe("1");
    expect(valueOf(text, 'tagstream_event_time_ignored_total{reason="negative"}')).toBe("1");
    const lag = Number(valueOf(text, "tagstream_event_time_lag_seconds_sum"));
    expect(lag).toBeGreaterThanOrEqual(5);
    expect(lag).toBeLessThan(65);
    // Every byte the server sent, the client received.
    expect(valueOf(text, "tagstream_broadcast_bytes_total")).toBe(String(receivedBytes));

    ingest.destroy();
    await waitUntil(() => h.aggregator.stats.connections === 0);
    const after = await fetch(`${h.httpUrl}/metrics`).then((r) => r.text());
    expect(valueOf(after, "tagstream_ingestors")).toBe("0");
  });

  it("is not served without metrics", async () => {
    const h = await harness({});
    expect((await fetch(`${h.httpUrl}/metrics`)).status).toBe(404);
  });
});
