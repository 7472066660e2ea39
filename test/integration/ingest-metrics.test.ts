/**
 * The ingestor's /metrics and /healthz, served only when INGEST_METRICS_PORT is set: its figures
 * read at scrape time match what reached the aggregator exactly, and /healthz turns degraded with
 * the reason when its output goes away while the lines it takes meanwhile show as queued.
 */
import net from "node:net";
import { describe, expect, it } from "vitest";
import { metricValue } from "../support/metric-value.ts";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import { spawnCommand } from "../support/command-process.ts";
import { freePort } from "../support/free-port.ts";
import { simulatedMastodon, waitUntil } from "./ingest-fixture.ts";

/** A stand-in aggregator that keeps every line it reads. */
async function lineSink(): Promise<{ port: number; lines: string[]; close(): Promise<void> }> {
  const lines: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let rest = "";
    socket.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts);
    });
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    lines,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}


describe("ingest /metrics", () => {
  it("counts what reached the aggregator exactly, and shows the queue and a degraded health when it goes", async () => {
    const server = await simulatedMastodon();
    const sink = await lineSink();
    const metricsPort = await freePort();
    const ingest = spawnCommand("ingest", {
      MASTODON_URL: server.restUrl,
      MASTODON_TOKEN: server.token,
      INGEST_PORT: String(sink.port),
      INGEST_METRICS_PORT: String(metricsPort),
      LOG_FORMAT: "json",
    });
    const base = `http://127.0.0.1:${metricsPort}`;
    await server.waitForSubscription(["public"], 15_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${ingest.output()}`);
    });
    for (let i = 1; i <= 7; i++) server.publish({ event: "update", status: craftStatus({ id: String(i), acct: "ann@remote.example", tags: ["one", `t${i}`] }) });
    const posts = (): string[] => sink.lines.filter((line) => line.includes('"tags"'));
    await waitUntil(() => posts().length === 7, 10_000, "7 post lines at the aggregator");

    const scrape = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();
    const first = await scrape();
    expect(metricValue(first, "tagstream_ingest_statuses_total")).toBe(7);
    expect(metricValue(first, "tagstream_ingest_forwarded_total")).toBe(7);
    expect(metricValue(first, "tagstream_ingest_hashtags_total")).toBe(14);
    expect(metricValue(first, "tagstream_ingest_streams_connected")).toBe(1);
    expect(metricValue(first, "tagstream_ingest_queued_lines")).toBe(0);
    expect(metricValue(first, "tagstream_ingest_dropped_lines_total")).toBe(0);
    // Not in cluster mode: no stream figures at all rather than zeros.
    expect(first).not.toContain("tagstream_stream_");
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: "ok", queued: 0, dropped: 0 });

    await sink.close();
    for (let i = 8; i <= 10; i++) server.publish({ event: "update", status: craftStatus({ id: String(i), acct: "ann@remote.example", tags: ["one"] }) });
    type Health = { status: string; reason?: string; queued: number };
    let health: Health = { status: "", queued: -1 };
    const deadline = Date.now() + 10_000;
    while (!(health.status === "degraded" && health.queued === 3)) {
      if (Date.now() > deadline) throw new Error(`not degraded with 3 lines queued: ${JSON.stringify(health)}\n${ingest.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      health = (await (await fetch(`${base}/healthz`)).json()) as Health;
    }
    expect(health.reason).toBe("the output (aggregator or stream) is not reachable: lines are queued");
    expect(metricValue(await scrape(), "tagstream_ingest_forwarded_total")).toBe(10);
    expect(metricValue(await scrape(), "tagstream_ingest_queued_lines")).toBe(3);

    ingest.child.kill("SIGTERM");
    expect(await ingest.exited).toBe(0);
  }, 40_000);
});
