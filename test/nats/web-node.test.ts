/**
 * `web` as a real process on a real 3-node cluster, fed by fake replicas that the test drives
 * frame by frame: what a screen sees (each epoch once, in order, none missing when a replica stops),
 * where a new node starts from (the latest kept in KV), and the requests it passes on to a
 * replica (503 when there is none).
 */
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tagCountsResponseSchema, topResponseSchema, type ServerMessage, type Snapshot } from "../../shared/messages.ts";
import { loadConfig } from "../../server/config/config.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { clusterSubjects, LATEST_KEYS } from "../../server/nats/cluster-wire.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { openLatestBucket } from "../../server/nats/stream-setup.ts";
import { natsAvailable, startNatsCluster, type NatsCluster } from "../support/nats-cluster.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { recordWs } from "../support/ws-recorder.ts";
import { metricValue } from "../support/metric-value.ts";
import { fakeReplica, helloFrame, snapshotFrame, startWebNode, type WebNodeProcess } from "./web-node-process.ts";

const epochsOf = (messages: readonly ServerMessage[]): number[] =>
  messages.filter((m): m is Snapshot => m.type === "snapshot").map((m) => m.epoch);

describe.runIf(natsAvailable())("a web node on a 3-node cluster", () => {
  let cluster: NatsCluster;
  let connection: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    const settings = loadConfig({ env: { NATS_URL: cluster.url } }).nats as NatsSettings;
    connection = await connectNats(settings, "web-node-test", silentLogger);
  }, 30_000);
  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
  });

  /** Keeps a hello and the snapshot of `epoch` in `stream`'s KV as the replicas do, then starts a web node on it. */
  async function webNodeOn(stream: string, epoch: number, env: Readonly<Record<string, string>> = {}): Promise<WebNodeProcess> {
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: stream } }).nats as NatsSettings;
    const bucket: KV = await openLatestBucket(connection, settings);
    await bucket.put(LATEST_KEYS.hello, JSON.stringify(helloFrame()));
    await bucket.put(LATEST_KEYS.snapshot, JSON.stringify(snapshotFrame(epoch)));
    return startWebNode({ NATS_URL: cluster.url, NATS_STREAM: stream, ...env });
  }

  it("starts from the latest kept in KV, then serves each epoch once, in order, with no gap when a replica stops", async () => {
    const stream = "WEBEPOCHS";
    const web = await webNodeOn(stream, 40);
    const health = (await (await fetch(`${web.httpUrl}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: "ok", epoch: 40, relay: { connected: true, replica: "kv", epoch: 40 } });

    const screen = await recordWs(web.wsUrl);
    try {
      // What it held at once, before any replica said anything.
      await screen.waitFor((m) => m.type === "snapshot");
      expect(screen.messages).toEqual([helloFrame(), snapshotFrame(40)]);

      const [a, b] = [await fakeReplica(cluster.urls[0] as string, stream, "replica-a"), await fakeReplica(cluster.urls[0] as string, stream, "replica-b")];
      for (let epoch = 41; epoch <= 45; epoch++) {
        await a.send(snapshotFrame(epoch), epoch);
        await b.send(snapshotFrame(epoch), epoch);
      }
      // Both replicas say the trigger changed: one hello reaches the screen.
      await a.send(helloFrame(2000), 45);
      await b.send(helloFrame(2000), 45);
      // A late copy of an older epoch, a frame that is not a frame, and one without its epoch.
      await b.send(snapshotFrame(43), 43);
      await b.sendRaw("{not json", "46");
      await b.sendRaw(JSON.stringify(snapshotFrame(46)), undefined);
      // Replica a stops; b goes on alone.
      await a.close();
      for (let epoch = 46; epoch <= 50; epoch++) await b.send(snapshotFrame(epoch), epoch);

      await screen.waitFor((m) => m.type === "snapshot" && m.epoch === 50, 10_000);
      expect(epochsOf(screen.messages)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
      expect(screen.messages.filter((m) => m.type === "hello").map((m) => m.triggerMs)).toEqual([1000, 2000]);
      expect(screen.messages.at(-1)).toEqual(snapshotFrame(50));

      const metrics = await (await fetch(`${web.httpUrl}/metrics`)).text();
      expect(metricValue(metrics, "tagstream_epochs_served_total")).toBe(11);
      expect(metricValue(metrics, 'tagstream_frames_ignored_total{reason="copy"}')).toBe(6);
      expect(metricValue(metrics, 'tagstream_frames_ignored_total{reason="stale"}')).toBe(1);
      expect(metricValue(metrics, "tagstream_failovers_total")).toBe(1);
      expect(metricValue(metrics, 'tagstream_invalid_inputs_total{reason="frame"}')).toBe(1);
      expect(metricValue(metrics, 'tagstream_invalid_inputs_total{reason="epoch-header"}')).toBe(1);
      expect(metricValue(metrics, "tagstream_served_epoch")).toBe(50);
      expect(await (await fetch(`${web.httpUrl}/healthz`)).json()).toMatchObject({ epoch: 50, relay: { replica: "replica-b", epoch: 50 } });
      await b.close();
    } finally {
      await screen.close();
    }
  }, 60_000);

  it("answers /api/top from the snapshot, and asks a replica for tag counts, a longer top and a trigger change; 503 when none answers", async () => {
    const stream = "WEBAPI";
    const web = await webNodeOn(stream, 7, { ADMIN_TOKEN: "secret-token-123" });
    const subjects = clusterSubjects(stream);

    const fromSnapshot = await fetch(`${web.httpUrl}/api/top?window=15m`);
    expect(await fromSnapshot.json()).toEqual({ window: "15m", by: "posts", epoch: 7, at: snapshotFrame(7).at, top: [{ tag: "e7", count: 7, rank: 1 }] });

    const none = await fetch(`${web.httpUrl}/api/tags/Rust`);
    expect(none.status).toBe(503);
    expect(await none.json()).toEqual({ error: "no replica is running to answer: start one (npm run serve with NATS_URL)" });

    const asked: unknown[] = [];
    const counts = { tag: "rust", windows: { "15m": 4, complete: 9 } };
    const answer = (subject: string, reply: (body: unknown) => unknown) =>
      connection.subscribe(subject, {
        queue: subjects.replicaQueue,
        callback: (_error, message) => {
          const body = message.json();
          asked.push(body);
          message.respond(JSON.stringify(reply(body)));
        },
      });
    const tagResponder = answer(subjects.tagCounts, () => counts);
    const topResponder = answer(subjects.top, () => ({ window: "complete", by: "accounts", epoch: 7, at: snapshotFrame(7).at, top: [] }));
    const configResponder = answer(subjects.config, () => ({ accepted: true, triggerMs: 3000 }));
    await connection.flush();
    try {
      const tag = await fetch(`${web.httpUrl}/api/tags/Rust`);
      expect(tag.status).toBe(200);
      expect(tagCountsResponseSchema.parse(await tag.json())).toEqual(counts);

      // The snapshot holds no ranking by accounts.
      const longer = await fetch(`${web.httpUrl}/api/top?window=complete&n=10&by=accounts`);
      expect(longer.status).toBe(200);
      expect(topResponseSchema.parse(await longer.json()).top).toEqual([]);

      const put = await fetch(`${web.httpUrl}/api/config`, {
        method: "PUT",
        headers: { authorization: "Bearer secret-token-123", "content-type": "application/json" },
        body: JSON.stringify({ triggerInterval: "3s" }),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toEqual({ triggerMs: 3000, triggerInterval: "3s", adminEnabled: true });
      expect(asked).toEqual([{ tag: "rust" }, { window: "complete", n: 10, by: "accounts" }, { triggerInterval: "3s" }]);
    } finally {
      tagResponder.unsubscribe();
      topResponder.unsubscribe();
      configResponder.unsubscribe();
    }

    // A replica that answers with something else is not believed.
    const garbled = connection.subscribe(subjects.tagCounts, { queue: subjects.replicaQueue, callback: (_e, m) => {
        m.respond('{"tag": 5}');
      } });
    await connection.flush();
    try {
      const wrong = await fetch(`${web.httpUrl}/api/tags/rust`);
      expect(wrong.status).toBe(503);
      expect(await wrong.json()).toEqual({ error: "a replica sent an answer of the wrong form" });
    } finally {
      garbled.unsubscribe();
    }
    // A replica that takes the request and never answers.
    const silent = connection.subscribe(subjects.tagCounts, { queue: subjects.replicaQueue, callback: () => undefined });
    await connection.flush();
    try {
      const late = await fetch(`${web.httpUrl}/api/tags/rust`);
      expect(late.status).toBe(503);
      expect(await late.json()).toEqual({ error: "no replica answered within 2000 ms" });
    } finally {
      silent.unsubscribe();
    }
    const metrics = await (await fetch(`${web.httpUrl}/metrics`)).text();
    expect(metricValue(metrics, 'tagstream_replica_request_errors_total{reason="no-replica"}')).toBe(1);
    expect(metricValue(metrics, 'tagstream_replica_request_errors_total{reason="invalid-reply"}')).toBe(1);
    expect(metricValue(metrics, 'tagstream_replica_request_errors_total{reason="timeout"}')).toBe(1);
  }, 60_000);

  it("refuses a kept value that is not a valid frame, and waits for a replica's snapshot before it listens", async () => {
    const stream = "WEBWAIT";
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: stream } }).nats as NatsSettings;
    const bucket = await openLatestBucket(connection, settings);
    await bucket.put(LATEST_KEYS.hello, JSON.stringify(helloFrame()));
    await bucket.put(LATEST_KEYS.snapshot, JSON.stringify({ ...snapshotFrame(5), epoch: -1 }));
    const starting = startWebNode({ NATS_URL: cluster.url, NATS_STREAM: stream });
    const replica = await fakeReplica(cluster.urls[0] as string, stream, "replica-a");
    let started = false;
    void starting.then(() => (started = true), () => undefined);
    try {
      // Until the node has subscribed, a frame finds no one: send the next epoch until it listens.
      for (let epoch = 6; !started; epoch++) {
        await replica.send(snapshotFrame(epoch), epoch);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const web = await starting;
      const health = (await (await fetch(`${web.httpUrl}/healthz`)).json()) as { relay: { replica: string; epoch: number } };
      expect(health.relay.replica).toBe("replica-a");
      expect(health.relay.epoch).toBeGreaterThanOrEqual(6);
      const metrics = await (await fetch(`${web.httpUrl}/metrics`)).text();
      expect(metricValue(metrics, 'tagstream_invalid_inputs_total{reason="store"}')).toBe(1);
    } finally {
      await replica.close();
    }
  }, 60_000);

  it("stops on SIGTERM: its screens hear 1001 (going away) and it exits 0", async () => {
    const web = await webNodeOn("WEBSTOP", 3);
    const screen = await recordWs(web.wsUrl);
    const closed = new Promise<number>((resolve) => screen.socket.once("close", (code) => resolve(code)));
    web.child.kill("SIGTERM");
    expect(await closed).toBe(1001);
    expect(await web.exited).toBe(0);
  }, 30_000);

  it("refuses to start without NATS_URL, saying what to set", async () => {
    const { spawnSync } = await import("node:child_process");
    const { commandArgs } = await import("../support/commands.ts");
    const env = { ...process.env };
    delete env.NATS_URL;
    const result = spawnSync(process.execPath, commandArgs("web"), { env, encoding: "utf8", timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("web: NATS_URL is not set");
  });
});
