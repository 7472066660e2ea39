/**
 * What one peer, or many, can cost the line intake: connections beyond INGEST_MAX_CONNECTIONS are
 * refused at once, silent ones are closed after INGEST_IDLE_TIMEOUT, a line that never ends is cut
 * at the line limit, and a peer that never reads is never written to. Real sockets on port 0.
 */
import net from "node:net";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { captureLog } from "../../integration/log-capture.ts";
import { startHarness, type Harness, type HarnessOptions } from "../../support/aggregator-harness.ts";
import { waitUntil } from "../../support/wait-until.ts";

let harness: Harness | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await harness?.close();
  harness = undefined;
});

async function start(options: HarnessOptions): Promise<Harness> {
  harness = await startHarness({ windows: [{ kind: "complete" }], ...options });
  return harness;
}

/** A connected client that keeps everything the server sends it. */
async function connect(h: Harness): Promise<{ socket: net.Socket; received: () => string; closed: Promise<unknown> }> {
  const socket = net.createConnection(h.aggregator.intake.port, "127.0.0.1");
  sockets.push(socket);
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
  socket.on("error", () => {});
  const closed = once(socket, "close");
  await once(socket, "connect");
  return { socket, received: () => received, closed };
}


async function write(socket: net.Socket, data: string | Buffer): Promise<void> {
  if (!socket.write(data)) await once(socket, "drain");
}

const countOf = (h: Harness, tag: string): number => {
  h.aggregator.tick();
  return h.aggregator.countsOf(tag).windows.complete ?? 0;
};

describe("line intake connections", () => {
  it("refuses connections beyond INGEST_MAX_CONNECTIONS at once with ERR, counted, and serves the others", async () => {
    const h = await start({ ingestMaxConnections: 3 });
    const held = [await connect(h), await connect(h), await connect(h)];
    await waitUntil(() => h.aggregator.stats.connections === 3);

    const extra = await connect(h);
    await extra.closed;
    expect(extra.received()).toBe("ERR too-many-connections\n");
    expect(h.aggregator.stats.closedConnections.get("too-many-connections")).toBe(1);
    expect(h.aggregator.stats.connections).toBe(3);

    for (const client of held) await write(client.socket, "held\n");
    await waitUntil(() => countOf(h, "held") === 3);

    // A slot that frees up is taken by the next connection.
    held[0]?.socket.end();
    await held[0]?.closed;
    await waitUntil(() => h.aggregator.stats.connections === 2);
    const next = await connect(h);
    await write(next.socket, "next\n");
    await waitUntil(() => countOf(h, "next") === 1);
    expect(next.received()).toBe("");
    expect(h.aggregator.stats.closedConnections.get("too-many-connections")).toBe(1);
  });

  it("closes a connection that sends nothing for INGEST_IDLE_TIMEOUT, and keeps one that talks", async () => {
    const h = await start({ ingestIdleTimeoutMs: 300 });
    const silent = await connect(h);
    const talker = await connect(h);
    const started = Date.now();
    const chatter = setInterval(() => talker.socket.write("chat\n"), 50);
    try {
      await silent.closed;
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(250);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(talker.socket.destroyed).toBe(false);
    } finally {
      clearInterval(chatter);
    }
    expect(silent.received()).toBe("");
    expect(h.aggregator.stats.closedConnections.get("idle-timeout")).toBe(1);
    await talker.closed;
    expect(h.aggregator.stats.closedConnections.get("idle-timeout")).toBe(2);
  });

  it("cuts a line that never ends at 64 KiB, discards the rest, and counts the lines after it", async () => {
    const h = await start({});
    const client = await connect(h);
    await write(client.socket, "before\n");
    // 4 MiB without a newline, in 64 KiB pieces: one refusal, whatever the chunking.
    const piece = Buffer.alloc(64 * 1024, "a");
    for (let i = 0; i < 64; i++) await write(client.socket, piece);
    await write(client.socket, "\nafter\n");
    client.socket.end();
    await client.closed;
    expect(countOf(h, "before")).toBe(1);
    expect(countOf(h, "after")).toBe(1);
    expect(countOf(h, "a".repeat(100))).toBe(0);
    expect(Object.fromEntries(h.aggregator.stats.rejected)).toEqual({ "too-long": 1 });
    expect(client.received()).toBe("");
  });

  it("writes nothing to a client that sends without reading, so the server holds nothing for it", async () => {
    const h = await start({});
    const socket = net.createConnection(h.aggregator.intake.port, "127.0.0.1");
    sockets.push(socket);
    await once(socket, "connect");
    // Never read: no data listener, and the socket stays paused.
    socket.pause();
    const line = Buffer.from("quiet reader\n");
    const lines = 200_000;
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => line));
    for (let i = 0; i < lines / 1000; i++) await write(socket, batch);
    await waitUntil(() => countOf(h, "reader") === lines, 20_000);
    expect(countOf(h, "quiet")).toBe(lines);
    // Now read: had the server written anything, it would be waiting here.
    let received = 0;
    socket.on("data", (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toBe(0);
  }, 30_000);

  it("closes connections that trickle a line without ending it (slowloris) after INGEST_LINE_TIMEOUT, and lets the real ingestor in", async () => {
    const h = await start({ ingestMaxConnections: 5, ingestLineTimeoutMs: 300 });
    const trickling = [await connect(h), await connect(h), await connect(h), await connect(h)];
    const steady = await connect(h);
    await waitUntil(() => h.aggregator.stats.connections === 5);
    // Every 50 ms: one more byte of a line that never ends, and one whole line from the steady peer.
    const drip = setInterval(() => {
      for (const client of trickling) if (client.socket.writable) client.socket.write("x");
      steady.socket.write("steady\n");
    }, 50);
    try {
      const locked = await connect(h);
      await locked.closed;
      expect(locked.received()).toBe("ERR too-many-connections\n");
      await Promise.all(trickling.map((client) => client.closed));
      // The peer that finishes its lines is still there when the tricklers are gone.
      expect(steady.socket.destroyed).toBe(false);
    } finally {
      clearInterval(drip);
    }
    expect(h.aggregator.stats.closedConnections.get("line-timeout")).toBe(4);
    expect(trickling.map((client) => client.received())).toEqual(["", "", "", ""]);
    await waitUntil(() => h.aggregator.stats.connections === 1);

    const ingestor = await connect(h);
    await write(ingestor.socket, "real\n");
    await waitUntil(() => countOf(h, "real") === 1);
    expect(countOf(h, "x".repeat(5))).toBe(0);
    expect(countOf(h, "steady")).toBeGreaterThan(0);
    expect(ingestor.socket.destroyed).toBe(false);
  });

  it("logs the first connections one by one and the rest as one summary, not two lines a connection", async () => {
    const captured = captureLog();
    const h = await start({ log: captured.log });
    const connects = 1000;
    for (let batch = 0; batch < connects / 100; batch++) {
      const clients = await Promise.all(Array.from({ length: 100 }, () => connect(h)));
      for (const client of clients) client.socket.end("burst\n");
      await Promise.all(clients.map((client) => client.closed));
    }
    await waitUntil(() => h.aggregator.stats.connections === 0);
    expect(countOf(h, "burst")).toBe(connects);
    await h.close();
    harness = undefined;
    expect(captured.withMessage("ingest connection opened")).toHaveLength(10);
    expect(captured.withMessage("ingest connection closed")).toHaveLength(10);
    const summaries = captured.withMessage("ingest connections (too many to log one by one)");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ level: 30, opened: connects, closed: connects, notLogged: 2 * (connects - 10), open: 0 });
  }, 30_000);
});
