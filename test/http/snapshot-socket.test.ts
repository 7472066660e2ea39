/**
 * What a WebSocket client can cost the server: its frames are capped and ignored (and counted), a
 * dead peer is found by the heartbeat, and a client that stops reading is dropped once too much
 * waits for it, while every other client keeps receiving every frame. Real sockets on port 0.
 */
import net from "node:net";
import { once } from "node:events";
import type { FastifyInstance } from "fastify";
import WebSocket from "ws";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../server/http/app.ts";
import { MAX_CLIENT_FRAME_BYTES, TOO_MANY_CLIENTS } from "../../server/http/plugins/snapshot-socket.ts";
import { AggregatorMetrics } from "../../server/metrics/aggregator-metrics.ts";
import type { Snapshot } from "../../shared/messages.ts";
import { scriptedFeed } from "../browser/scripted-feed.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { waitUntil } from "../support/wait-until.ts";
import { recordWs } from "../support/ws-recorder.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(options: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const h = await startHarness(options);
  cleanups.push(() => h.close());
  return h;
}


/** A value of the Prometheus text at `GET /metrics`. */
async function metricValue(h: Harness, name: string): Promise<string | undefined> {
  const text = await fetch(`${h.httpUrl}/metrics`).then((r) => r.text());
  return text.split("\n").find((line) => line.startsWith(`${name} `))?.split(" ")[1];
}

/**
 * A WebSocket client by hand: the upgrade, then nothing. It never answers a ping and, once paused,
 * never reads, which no `ws` client can be made to do.
 */
async function rawClient(port: number): Promise<net.Socket> {
  const socket = net.createConnection(port, "127.0.0.1");
  socket.on("error", () => {});
  cleanups.push(() => void socket.destroy());
  await once(socket, "connect");
  socket.write(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  let head = "";
  while (!head.includes("\r\n\r\n")) head += ((await once(socket, "data")) as [Buffer])[0].toString("latin1");
  if (!head.startsWith("HTTP/1.1 101")) throw new Error(`upgrade refused: ${head.split("\r\n")[0]}`);
  return socket;
}

const serverClients = (app: FastifyInstance): Set<WebSocket> => app.websocketServer.clients as Set<WebSocket>;

describe("WebSocket clients", () => {
  it("ignores and counts what a client sends, and keeps serving it", async () => {
    const h = await harness({ metrics: true });
    const client = await recordWs(h.wsUrl);
    cleanups.push(() => client.close());
    await client.waitFor((m) => m.type === "snapshot");
    client.socket.send("hello?");
    client.socket.send(JSON.stringify({ type: "subscribe", window: "15m" }));
    client.socket.send(Buffer.from([1, 2, 3]));
    await expect.poll(() => metricValue(h, "tagstream_websocket_unknown_messages_total")).toBe("3");
    h.aggregator.tick();
    await client.waitFor((m) => m.type === "snapshot" && m.epoch === 1);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(await metricValue(h, "tagstream_websocket_clients")).toBe("1");
  });

  it(`closes a client that sends a frame over ${MAX_CLIENT_FRAME_BYTES} bytes with 1009`, async () => {
    const h = await harness({});
    const client = new WebSocket(h.wsUrl);
    client.on("error", () => {});
    await once(client, "open");
    client.send("x".repeat(MAX_CLIENT_FRAME_BYTES + 1));
    const [code] = (await once(client, "close")) as [number];
    expect(code).toBe(1009);
    await waitUntil(() => serverClients(h.app).size === 0);
  });

  it("closes the client past WS_MAX_CLIENTS with 1013 and a reason, and admits one again when a slot frees", async () => {
    const h = await harness({ wsMaxClients: 2 });
    const first = await recordWs(h.wsUrl);
    const second = await recordWs(h.wsUrl);
    cleanups.push(() => second.close());
    await first.waitFor((m) => m.type === "snapshot");
    await second.waitFor((m) => m.type === "snapshot");

    const third = new WebSocket(h.wsUrl);
    third.on("error", () => {});
    const [code, reason] = (await once(third, "close")) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([TOO_MANY_CLIENTS.code, "too many clients: try again later"]);
    expect(code).toBe(1013);
    await waitUntil(() => serverClients(h.app).size === 2);

    await first.close();
    await waitUntil(() => serverClients(h.app).size === 1);
    const fourth = await recordWs(h.wsUrl);
    cleanups.push(() => fourth.close());
    expect((await fourth.waitFor((m) => m.type === "snapshot")).type).toBe("snapshot");
    expect(serverClients(h.app).size).toBe(2);
  });

  it("terminates a peer that stops answering pings, and keeps one that answers", async () => {
    const h = await harness({ heartbeatMs: 100 });
    const live = await recordWs(h.wsUrl);
    cleanups.push(() => live.close());
    const dead = await rawClient(Number(new URL(h.httpUrl).port));
    const closed = once(dead, "close");
    await waitUntil(() => serverClients(h.app).size === 2);
    // Pings at 100 ms: unanswered at the second, terminated at the third.
    await closed;
    await waitUntil(() => serverClients(h.app).size === 1);
    // Three more rounds of pings, each answered: a peer that did not answer would be gone by the second.
    let pings = 0;
    live.socket.on("ping", () => (pings += 1));
    await vi.waitFor(() => expect(pings).toBeGreaterThanOrEqual(3), { timeout: 5_000, interval: 10 });
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    expect(serverClients(h.app).size).toBe(1);
  });

  it("drops a client that stops reading once more than the bound waits for it; the others get every frame", async () => {
    const feed = scriptedFeed({ triggerMs: 1000, topN: 1000 });
    const metrics = new AggregatorMetrics({
      counters: () => ({ lines: 0, tags: 0, distinct: 0 }),
      rejected: () => new Map(),
      closedConnections: () => new Map(),
      droppedTags: () => new Map(),
      ingestors: () => 0,
      epoch: () => 0,
    });
    const maxBufferedBytes = 1024 * 1024;
    const app = await buildApp({ feed, log: silentLogger, staticDir: "/nonexistent", wsMaxBufferedBytes: maxBufferedBytes, metrics, heartbeatMs: 60_000 });
    cleanups.push(() => app.close());
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as net.AddressInfo;

    const reader = await recordWs(`ws://127.0.0.1:${port}/ws`);
    cleanups.push(() => reader.close());
    const stalled = await rawClient(port);
    stalled.pause();
    await waitUntil(() => serverClients(app).size === 2);

    // About 200 KB a frame: a thousand long tags with their histories.
    const top = (epoch: number) =>
      Array.from({ length: 1000 }, (_, i) => ({
        tag: `tag_${String(i).padStart(4, "0")}_${"x".repeat(80)}`,
        count: 100_000 - i,
        rank: i + 1,
        history: Array.from({ length: 30 }, (_, k) => epoch * 1000 + k),
      }));
    let frameBytes = 0;
    let mostBuffered = 0;
    const frames = 120;
    for (let epoch = 1; epoch <= frames; epoch++) {
      feed.push(epoch, top(epoch));
      frameBytes = Math.max(frameBytes, Buffer.byteLength(feed.latest().json));
      for (const client of serverClients(app)) mostBuffered = Math.max(mostBuffered, client.bufferedAmount);
      // Let the reader read, as a browser would between snapshots.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(frameBytes).toBeGreaterThan(150_000);

    await waitUntil(() => serverClients(app).size === 1);
    // The server process never held more for the stalled client than the bound and the frame that crossed it.
    expect(mostBuffered).toBeLessThanOrEqual(maxBufferedBytes + frameBytes);
    const text = await metrics.registry.metrics();
    expect(text).toContain("tagstream_websocket_slow_clients_dropped_total 1");
    expect(text).toContain("tagstream_websocket_clients 1");

    // The reader got every frame, in order.
    await reader.waitFor((m) => m.type === "snapshot" && m.epoch === frames, 30_000);
    const epochs = reader.messages.filter((m): m is Snapshot => m.type === "snapshot").map((m) => m.epoch);
    expect(epochs).toEqual(Array.from({ length: frames + 1 }, (_, i) => i));

    // Reading again, the stalled client finds its connection gone, and gets only what was sent
    // before the drop: what waited for it, in the server process and in both kernels, never
    // exceeded the bound by more than the frame that crossed it (plus the upgrade and the pings).
    let received = 0;
    stalled.on("data", (chunk: Buffer) => (received += chunk.length));
    const closed = once(stalled, "close");
    stalled.resume();
    await closed;
    expect(received).toBeGreaterThan(maxBufferedBytes);
    expect(received).toBeLessThanOrEqual(maxBufferedBytes + frameBytes + 16 * 1024);
  }, 60_000);
});
