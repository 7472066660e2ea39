/**
 * `npm run ingest` with NATS_URL as a user runs it: two ingest processes follow the same simulated
 * Mastodon server and publish to one stream; every post event is stored once, and each process's
 * own counters (logged when it stops) say that it published all of them and that JetStream already
 * had what the other one had published.
 */
import { spawn } from "node:child_process";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLine } from "../../shared/line-protocol.ts";
import { loadConfig } from "../../server/config/config.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import { startSimulatedMastodon } from "../../server/demo/simulated-mastodon.ts";
import { postMessageId } from "../../server/nats/message-id.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { commandArgs } from "../support/commands.ts";
import { natsAvailable, startNatsCluster, type NatsCluster } from "../support/nats-cluster.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { waitUntil } from "../support/wait-until.ts";
import { streamContents } from "./stream-contents.ts";

const STREAM = "PUB_CMD";

function runIngest(env: Record<string, string>) {
  const child = spawn(process.execPath, commandArgs("ingest"), { env: { ...process.env, LOG_FORMAT: "json", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const logged = (message: string): Array<Record<string, unknown>> =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === message);
  return { child, exited, logged, output: () => ({ stdout, stderr }) };
}

describe.runIf(natsAvailable())("ingest with NATS_URL", () => {
  let cluster: NatsCluster;
  let connection: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: STREAM } }).nats as NatsSettings;
    connection = await connectNats(settings, "publisher-command-test", silentLogger);
  }, 30_000);
  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
  });

  it("two ingestors following the same server store every post event once", async () => {
    const server = await startSimulatedMastodon();
    const env = { MASTODON_URL: server.restUrl, MASTODON_TOKEN: server.token, NATS_URL: cluster.url, NATS_STREAM: STREAM };
    const runs = [runIngest(env), runIngest(env)];
    try {
      await waitUntil(() => server.subscriptions().length === 2, 20_000, "both ingestors subscribed");
      const statuses = Array.from({ length: 50 }, (_, n) => craftStatus({ id: String(n + 1), acct: "ann@remote.example", tags: [`Tag${n % 5}`, "shared"] }));
      for (const status of statuses) server.publish({ event: "update", status });
      const edited = craftStatus({ id: "1", acct: "ann@remote.example", tags: ["edited"] });
      server.publish({ event: "status.update", status: edited });
      server.publish({ event: "delete", status: craftStatus({ id: "2", acct: "ann@remote.example", tags: [] }) });

      // Two hellos (one per process, each its own) and 52 post events.
      const manager = await jetstreamManager(connection);
      const deadline = Date.now() + 20_000;
      while ((await manager.streams.info(STREAM)).state.messages < 54) {
        if (Date.now() > deadline) throw new Error("54 messages not in the stream within 20 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      for (const run of runs) run.child.kill("SIGTERM");
    }
    const codes = await Promise.all(runs.map((run) => run.exited));
    await server.close();
    expect(codes, JSON.stringify(runs.map((run) => run.output().stderr))).toEqual([0, 0]);

    const messages = await streamContents(connection, STREAM);
    const events = messages.map((message) => ({ parsed: parseLine(message.data), id: message.id }));
    expect(events.filter((event) => event.parsed.kind === "hello")).toHaveLength(2);
    const postEvents = events.filter((event) => event.parsed.kind !== "hello");
    const summary = postEvents.map(({ parsed }) =>
      parsed.kind === "tags" ? `post ${parsed.meta.id} ${parsed.tags.join(",")}` : parsed.kind === "update" ? `update ${parsed.id} ${parsed.tags.join(",")}` : parsed.kind === "delete" ? `delete ${parsed.id}` : parsed.kind,
    );
    const expected = [
      ...Array.from({ length: 50 }, (_, n) => `post ${uriOf(n + 1)} tag${n % 5},shared`),
      `update ${uriOf(1)} edited`,
      `delete ${uriOf(2)}`,
    ];
    expect([...summary].sort()).toEqual([...expected].sort());
    // Each post's events in the order they happened, whoever stored them.
    expect(summary.indexOf(`update ${uriOf(1)} edited`)).toBeGreaterThan(summary.indexOf(`post ${uriOf(1)} tag0,shared`));
    expect(summary.indexOf(`delete ${uriOf(2)}`)).toBeGreaterThan(summary.indexOf(`post ${uriOf(2)} tag1,shared`));
    for (const event of postEvents) expect(event.id).toBe(postMessageId(messages[events.indexOf(event)]?.data ?? ""));

    const counters = runs.map((run) => run.logged("stream publisher closed")[0]?.stream as Record<string, number> | undefined);
    for (const counter of counters) expect(counter).toMatchObject({ published: 53, acked: 53, dropped: 0, pending: 0 });
    expect((counters[0]?.duplicates ?? 0) + (counters[1]?.duplicates ?? 0)).toBe(52);
  }, 90_000);

  it("keeps what arrives while the whole cluster is down and publishes each post once, in order, when it is back", async () => {
    const stream = "PUB_CMD_OUTAGE";
    const server = await startSimulatedMastodon();
    const run = runIngest({ MASTODON_URL: server.restUrl, MASTODON_TOKEN: server.token, NATS_URL: cluster.url, NATS_STREAM: stream, RECONNECT_CAP: "1s" });
    const manager = await jetstreamManager(connection);
    const storedAtLeast = async (count: number): Promise<void> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const messages = await manager.streams.info(stream).then((info) => info.state.messages, () => 0);
        if (messages >= count) return;
        if (Date.now() > deadline) throw new Error(`${count} messages not in ${stream} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const statuses = Array.from({ length: 60 }, (_, n) => craftStatus({ id: String(n + 1), acct: "bob@remote.example", tags: [`t${n}`] }));
    try {
      await waitUntil(() => server.subscriptions().length === 1, 20_000, "the ingestor subscribed");
      for (const status of statuses.slice(0, 20)) server.publish({ event: "update", status });
      await storedAtLeast(21);
      await cluster.killAll();
      for (const status of statuses.slice(20, 40)) server.publish({ event: "update", status });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await cluster.startAll();
      for (const status of statuses.slice(40)) server.publish({ event: "update", status });
      await storedAtLeast(61);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited, run.output().stderr).toBe(0);
    await server.close();

    const messages = await streamContents(connection, stream);
    expect(parseLine(messages[0]?.data ?? "").kind).toBe("hello");
    const posts = messages.slice(1).map((message) => parseLine(message.data));
    expect(posts.map((parsed) => (parsed.kind === "tags" ? parsed.meta.id : parsed.kind))).toEqual(statuses.map((status) => status.uri));
    expect(run.logged("stream publisher closed")[0]?.stream).toMatchObject({ published: 61, acked: 61, dropped: 0, pending: 0 });
  }, 90_000);
});

function uriOf(id: number): string {
  return craftStatus({ id: String(id), acct: "ann@remote.example", tags: [] }).uri;
}

describe("ingest with NATS_URL and --listen", () => {
  it("exits 1 with one line: the lines go to readers of a port or to the stream, not both", async () => {
    const run = runIngest({ NATS_URL: "nats://127.0.0.1:1", INGEST_LISTEN: "0", MASTODON_TOKEN: "" });
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toBe("ingest: --listen and NATS_URL cannot be combined: lines go to readers of the port or to the stream\n");
  }, 20_000);
});
