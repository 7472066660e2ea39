/**
 * The ingestor's stream publisher against a real 3-node cluster: every line stored once and in
 * order, the same post from two publishers stored once, publishing through the loss of a node and
 * of the whole cluster, and the queue's bound.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encodeDeleteLine, encodePlainLine, encodeTagLine, encodeUpdateLine } from "../../shared/line-protocol.ts";
import { loadConfig } from "../../server/config/config.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { StreamPublisher, type StreamPublisherOptions } from "../../server/nats/stream-publisher.ts";
import { clusterSubjects } from "../../server/nats/cluster-wire.ts";
import { postMessageId } from "../../server/nats/message-id.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { ensureStream } from "../../server/nats/stream-setup.ts";
import { natsAvailable, startNatsCluster, type NatsCluster } from "../support/nats-cluster.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { waitUntil } from "../support/wait-until.ts";
import { streamContents } from "./stream-contents.ts";

const postLine = (n: number): string => encodeTagLine({ tags: [`tag${n % 7}`, "common"], id: `https://mastodon.example/statuses/${n}`, ts: 1_700_000_000_000 + n });
const withoutNewline = (line: string): string => line.slice(0, -1);

describe.runIf(natsAvailable())("the stream publisher on a 3-node cluster", () => {
  let cluster: NatsCluster;
  const connections: NatsConnection[] = [];
  const publishers: StreamPublisher[] = [];

  beforeAll(async () => {
    cluster = await startNatsCluster();
  }, 30_000);
  afterEach(async () => {
    for (const publisher of publishers.splice(0)) await publisher.close();
    for (const connection of connections.splice(0)) await connection.close();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  async function setUp(stream: string): Promise<{ settings: NatsSettings; connection: NatsConnection }> {
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: stream } }).nats as NatsSettings;
    const connection = await connectNats(settings, `publisher-test-${stream}`, silentLogger);
    connections.push(connection);
    await ensureStream(connection, settings);
    return { settings, connection };
  }

  async function publisher(stream: string, options: Partial<StreamPublisherOptions> = {}): Promise<StreamPublisher> {
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: stream } }).nats as NatsSettings;
    const connection = await connectNats(settings, `publisher-${stream}`, silentLogger);
    connections.push(connection);
    const created = new StreamPublisher(
      connection,
      { subject: clusterSubjects(stream).posts, maxQueueLines: 100_000, maxQueueBytes: 64 * 1024 ** 2, ackTimeoutMs: 1000, backoff: { baseMs: 50, capMs: 400 }, ...options },
      silentLogger,
    );
    publishers.push(created);
    return created;
  }

  it("stores every line once, in order, without its newline, with the post's message id", async () => {
    const { connection } = await setUp("PUB_ORDER");
    const out = await publisher("PUB_ORDER", { maxInFlight: 64 });
    const lines: string[] = [];
    for (let n = 0; n < 1000; n++) lines.push(postLine(n));
    lines.push(encodeUpdateLine({ id: "https://mastodon.example/statuses/3", tags: ["b", "a"] }));
    lines.push(encodeDeleteLine("https://mastodon.example/statuses/4"));
    lines.push(encodePlainLine(["rust", "go"]));
    for (const line of lines) out.send(line);
    await out.settled();

    const stored = await streamContents(connection, "PUB_ORDER");
    expect(stored.map((message) => message.data)).toEqual(lines.map(withoutNewline));
    expect(stored.slice(0, -1).map((message) => message.id)).toEqual(lines.slice(0, -1).map((line) => postMessageId(withoutNewline(line))));
    // A plain line has no post id, but one of its own, so a retry of it is stored once too.
    expect(stored.at(-1)?.id).toMatch(/^[0-9a-f]{16}-1002$/);
    expect(out.counters).toEqual({ published: 1003, acked: 1003, duplicates: 0, republished: 0, dropped: 0, pending: 0 });
    expect(out.stats).toMatchObject({ sent: 1003, queued: 0, dropped: 0, connected: true });
  }, 30_000);

  it("stores a post published by two publishers once, and each counts what JetStream already had", async () => {
    const { connection } = await setUp("PUB_TWICE");
    const first = await publisher("PUB_TWICE");
    const second = await publisher("PUB_TWICE");
    const lines = Array.from({ length: 300 }, (_, n) => postLine(n));
    for (const line of lines.slice(0, 200)) first.send(line);
    await first.settled();
    for (const line of lines) second.send(line);
    await second.settled();

    const stored = await streamContents(connection, "PUB_TWICE");
    expect(stored.map((message) => message.data)).toEqual(lines.map(withoutNewline));
    expect(first.counters).toMatchObject({ acked: 200, duplicates: 0 });
    expect(second.counters).toMatchObject({ acked: 300, duplicates: 200 });
  }, 30_000);

  it("goes on publishing while the stream's leader node is killed, losing and doubling nothing", async () => {
    const { connection } = await setUp("PUB_NODE");
    const out = await publisher("PUB_NODE");
    const lines = Array.from({ length: 600 }, (_, n) => postLine(n));
    for (const line of lines.slice(0, 200)) out.send(line);
    await out.settled();

    const leader = (await (await jetstreamManager(connection)).streams.info("PUB_NODE")).cluster?.leader ?? "n1";
    const index = Number(leader.slice(1)) - 1;
    await cluster.kill(index);
    try {
      for (const line of lines.slice(200, 400)) out.send(line);
      await out.settled();
    } finally {
      await cluster.start(index);
    }
    for (const line of lines.slice(400)) out.send(line);
    await out.settled();

    const stored = await streamContents(connection, "PUB_NODE");
    expect(stored.map((message) => message.data)).toEqual(lines.map(withoutNewline));
    // Each line is acknowledged once, whether its first publish or a later one got through.
    expect(out.counters).toMatchObject({ published: 600, acked: 600, dropped: 0, pending: 0 });
  }, 60_000);

  it("keeps lines through a whole-cluster outage and delivers each once, in order, when it is back", async () => {
    const { connection } = await setUp("PUB_OUTAGE");
    const out = await publisher("PUB_OUTAGE");
    const lines = Array.from({ length: 900 }, (_, n) => postLine(n));
    for (const line of lines.slice(0, 300)) out.send(line);
    await out.settled();

    await cluster.killAll();
    for (const line of lines.slice(300, 600)) out.send(line);
    await waitUntil(() => out.counters.republished > 0, 10_000, "a publish tried again while the cluster is down");
    expect(out.stats.connected).toBe(false);
    expect(out.counters.pending).toBe(300);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await cluster.startAll();
    for (const line of lines.slice(600)) out.send(line);
    await out.settled();

    const stored = await streamContents(connection, "PUB_OUTAGE");
    expect(stored.map((message) => message.data)).toEqual(lines.map(withoutNewline));
    const { published, acked, duplicates, republished, dropped, pending } = out.counters;
    expect({ published, acked, dropped, pending }).toEqual({ published: 900, acked: 900, dropped: 0, pending: 0 });
    // A line stored before the outage whose ack was lost is acknowledged later as a duplicate: at most those in flight.
    expect(duplicates).toBeLessThanOrEqual(300);
    expect(republished).toBeGreaterThan(0);
    expect(out.stats.connected).toBe(true);
  }, 90_000);

  it("past its bound drops the oldest unacknowledged lines, counted, and delivers the newest", async () => {
    const { connection } = await setUp("PUB_BOUND");
    const out = await publisher("PUB_BOUND", { maxQueueLines: 10, maxInFlight: 1 });
    await cluster.killAll();
    const lines = Array.from({ length: 30 }, (_, n) => postLine(n));
    for (const line of lines) out.send(line);
    // Line 0 was in flight; once its publish fails it goes back in front of 20..29 and is the oldest.
    await waitUntil(() => out.counters.dropped === 20, 10_000, "the first line's publish failed and was dropped");
    expect(out.counters.pending).toBe(10);
    await cluster.startAll();
    await out.settled();

    const stored = await streamContents(connection, "PUB_BOUND");
    expect(stored.map((message) => message.data)).toEqual(lines.slice(20).map(withoutNewline));
    // Lines 1..19 were dropped before they were ever published.
    expect(out.counters).toMatchObject({ published: 11, acked: 10, dropped: 20, pending: 0 });
    expect(out.stats.dropped).toBe(20);
  }, 90_000);

  it("closes after its wait when the cluster stays away, saying how many lines it could not deliver", async () => {
    await setUp("PUB_CLOSE");
    const out = await publisher("PUB_CLOSE", { closeTimeoutMs: 500 });
    await cluster.killAll();
    try {
      for (let n = 0; n < 5; n++) out.send(postLine(n));
      const started = Date.now();
      await out.close();
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(out.counters).toMatchObject({ published: 5, acked: 0, pending: 5 });
      // Closed: a line sent now is neither queued nor published.
      out.send(postLine(5));
      expect(out.counters).toMatchObject({ published: 5, pending: 5 });
    } finally {
      await cluster.startAll();
    }
  }, 60_000);
});
