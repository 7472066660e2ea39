/**
 * The ingestor's queue while the aggregator is away, against a real TCP server on a fixed free
 * port that comes and goes: zero loss and the original order within the bounds, and beyond them
 * the oldest lines dropped, counted exactly.
 */
import net from "node:net";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { LineSender, type LineSenderOptions } from "../../../server/ingestor/output/line-sender.ts";
import { freePort } from "../../support/free-port.ts";
import { silentLogger } from "../../support/silent-logger.ts";
import { waitUntil } from "../../support/wait-until.ts";

/** A stand-in aggregator: keeps every line it reads, in order. */
interface LineSink {
  readonly lines: string[];
  readonly sockets: Set<net.Socket>;
  close(): Promise<void>;
}

async function lineSink(port: number, { read = true } = {}): Promise<LineSink> {
  const lines: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (!read) socket.pause();
    let partial = "";
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      const parts = (partial + text).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts);
    });
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return {
    lines,
    sockets,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function sender(port: number, options: Partial<LineSenderOptions> = {}): LineSender {
  const lines = new LineSender(
    { host: "127.0.0.1", port, maxQueueLines: 1000, maxQueueBytes: 1024 * 1024, backoff: { baseMs: 10, capMs: 50 }, ...options },
    silentLogger,
  );
  cleanups.push(() => lines.close());
  return lines;
}

async function sink(port: number, options?: { read?: boolean }): Promise<LineSink> {
  const started = await lineSink(port, options);
  cleanups.push(() => started.close());
  return started;
}


/** `line-0000042` and so on: every line the same length, 13 bytes with its newline. */
const numbered = (i: number): string => `line-${String(i).padStart(7, "0")}`;
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, k) => numbered(from + k));

describe("ingestor queue while the aggregator is away", () => {
  it("loses nothing within the bounds: an aggregator down, then back, gets every line in order", async () => {
    const port = await freePort();
    const first = await sink(port);
    const lines = sender(port);
    await waitUntil(() => lines.stats.connected);
    for (const line of range(0, 10)) lines.send(`${line}\n`);
    await waitUntil(() => first.lines.length === 10);

    await first.close();
    await waitUntil(() => !lines.stats.connected);
    for (const line of range(10, 1010)) lines.send(`${line}\n`);
    expect(lines.stats).toMatchObject({ queued: 1000, dropped: 0, connected: false });

    const second = await sink(port);
    await waitUntil(() => second.lines.length === 1000);
    expect([...first.lines, ...second.lines]).toEqual(range(0, 1010));
    expect(lines.stats).toMatchObject({ sent: 1010, queued: 0, dropped: 0, connected: true });
  });

  it("beyond the line bound drops the oldest, counted exactly, and delivers the newest in order", async () => {
    const port = await freePort();
    const lines = sender(port, { maxQueueLines: 100 });
    for (const line of range(0, 250)) lines.send(`${line}\n`);
    expect(lines.stats).toMatchObject({ queued: 100, dropped: 150, sent: 0 });

    const back = await sink(port);
    await waitUntil(() => back.lines.length === 100);
    expect(back.lines).toEqual(range(150, 250));
    expect(lines.stats).toMatchObject({ sent: 100, queued: 0, dropped: 150 });
  });

  it("beyond the byte bound drops the oldest, counted exactly, whatever their sizes", async () => {
    const port = await freePort();
    // 1,000 bytes: ten 100-byte lines, or fewer when some are longer.
    const lines = sender(port, { maxQueueBytes: 1000 });
    const line = (i: number, bytes: number): string => `${numbered(i)}${"x".repeat(bytes - 13)}\n`;
    for (let i = 0; i < 25; i++) lines.send(line(i, 100));
    expect(lines.stats).toMatchObject({ queued: 10, dropped: 15 });
    // A 550-byte line pushes out the six oldest 100-byte ones (400 + 550 = 950 bytes kept).
    lines.send(line(25, 550));
    expect(lines.stats).toMatchObject({ queued: 5, dropped: 21 });
    // Bytes, not characters: these 50 characters are 87 bytes in UTF-8 ("é" takes two), so one
    // more line goes, where counting characters (950 + 50) would have kept them all.
    lines.send(`${numbered(26)}${"é".repeat(37)}\n`);
    expect(lines.stats).toMatchObject({ queued: 5, dropped: 22 });
    // A single line over the bound cannot be kept at all: it and everything before it go.
    lines.send(line(27, 1001));
    expect(lines.stats).toMatchObject({ queued: 0, dropped: 28 });
    lines.send(line(28, 100));

    const back = await sink(port);
    await waitUntil(() => back.lines.length === 1);
    expect(back.lines).toEqual([line(28, 100).trimEnd()]);
    expect(lines.stats).toMatchObject({ sent: 1, queued: 0, dropped: 28 });
  });

  it("holds lines in the bounded queue, not the socket, while a connected aggregator stops reading", async () => {
    const port = await freePort();
    const stalled = await sink(port, { read: false });
    const maxQueueBytes = 256 * 1024;
    const lines = sender(port, { maxQueueBytes, maxQueueLines: 10_000_000 });
    await waitUntil(() => lines.stats.connected);
    // Far more than the kernel's socket buffers hold, so the sender sees its writes pile up.
    const total = 3_000_000;
    for (let i = 0; i < total; i++) {
      lines.send(`${numbered(i)}\n`);
      if (i % 100_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const { sent, queued, dropped } = lines.stats;
    expect(sent + queued + dropped).toBe(total);
    expect(dropped).toBeGreaterThan(0);
    expect(queued * 13).toBeLessThanOrEqual(maxQueueBytes);

    // The aggregator reads again: every line not dropped arrives, in order.
    for (const socket of stalled.sockets) socket.resume();
    await waitUntil(() => stalled.lines.length === total - dropped, 30_000);
    const numbers = stalled.lines.map((line) => Number(line.slice(5)));
    expect(numbers.every((n, k) => k === 0 || n > (numbers[k - 1] as number))).toBe(true);
    expect(numbers.at(-1)).toBe(total - 1);
  }, 60_000);

  it("stops writing into a connection the aggregator ended in order, and sends the rest on the next", async () => {
    const port = await freePort();
    const lines: string[] = [];
    let connections = 0;
    // Reads the first 100 lines of each connection, then closes its side (FIN) and reads on until
    // the sender's FIN, as the aggregator does with an idle connection.
    const server = net.createServer((socket) => {
      connections++;
      let partial = "";
      let seen = 0;
      socket.setEncoding("utf8");
      socket.on("data", (text: string) => {
        const parts = (partial + text).split("\n");
        partial = parts.pop() ?? "";
        lines.push(...parts);
        seen += parts.length;
        if (seen >= 100 && socket.writable) socket.end();
      });
    });
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const sender_ = sender(port, { maxQueueLines: 100_000 });
    await waitUntil(() => sender_.stats.connected);
    for (let i = 0; i < 1000; i++) {
      sender_.send(`${numbered(i)}\n`);
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await waitUntil(() => lines.length === 1000, 20_000, `1000 lines (got ${lines.length})`);
    expect(lines).toEqual(range(0, 1000));
    expect(connections).toBeGreaterThan(1);
    expect(sender_.stats).toMatchObject({ dropped: 0, unconfirmed: 0 });
  });

  it("counts lines written on a connection that the aggregator reset as unconfirmed, not as sent and forgotten", async () => {
    const port = await freePort();
    const stalled = await sink(port, { read: false });
    const lines = sender(port);
    await waitUntil(() => lines.stats.connected && stalled.sockets.size === 1);
    for (const line of range(0, 100)) lines.send(`${line}\n`);
    // Unread bytes at close make the kernel reset the connection: TCP cannot say what was read.
    await new Promise((resolve) => setImmediate(resolve));
    for (const socket of stalled.sockets) socket.destroy();
    await waitUntil(() => lines.stats.unconfirmed > 0, 5000, "lines reported unconfirmed");
    expect(lines.stats).toMatchObject({ sent: 100, unconfirmed: 100, dropped: 0 });
  });
});
