import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/config.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { clusterSubjects } from "../../server/nats/cluster-wire.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { ensureStream } from "../../server/nats/stream-setup.ts";
import { natsAvailable, startNatsCluster, type NatsCluster } from "../support/nats-cluster.ts";
import { silentLogger } from "../support/silent-logger.ts";

describe.runIf(natsAvailable())("the stream on a 3-node cluster", () => {
  let cluster: NatsCluster;
  let connection: NatsConnection;
  let settings: NatsSettings;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: "SETUP" } }).nats as NatsSettings;
    connection = await connectNats(settings, "stream-setup-test", silentLogger);
  }, 30_000);
  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
  });

  it("is created R3 with the duplicate window, and keeps one copy of a message id", async () => {
    const manager = await ensureStream(connection, settings);
    const info = await manager.streams.info("SETUP");
    expect(info.config.num_replicas).toBe(3);
    expect(info.config.subjects).toEqual(["SETUP.in.>"]);
    expect(info.config.duplicate_window).toBe(2 * 3_600_000 * 1_000_000);
    // A second call finds it and changes nothing.
    await ensureStream(connection, settings);

    const js = jetstream(connection);
    const subject = clusterSubjects("SETUP").posts;
    const first = await js.publish(subject, '{"tags":["a"],"id":"https://x/1"}', { msgID: "post:1" });
    const again = await js.publish(subject, '{"tags":["a"],"id":"https://x/1"}', { msgID: "post:1" });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
    expect((await manager.streams.info("SETUP")).state.messages).toBe(1);
  });

  it("takes publishes with one node of three killed, once its peers have elected a leader", async () => {
    const manager = await ensureStream(connection, settings);
    const before = (await manager.streams.info("SETUP")).state.messages;
    const js = jetstream(connection);
    await cluster.kill(2);
    try {
      // While the killed node led the stream, a publish goes unanswered until the other two elect a
      // new leader (a few seconds): it is retried with the same id, so it is stored once however often.
      const deadline = Date.now() + 20_000;
      let stored = false;
      while (!stored) {
        try {
          const ack = await js.publish(clusterSubjects("SETUP").posts, "a b", { msgID: "after-kill", timeout: 2000 });
          expect(ack.stream).toBe("SETUP");
          stored = true;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
      expect((await manager.streams.info("SETUP")).state.messages).toBe(before + 1);
    } finally {
      await cluster.start(2);
    }
  }, 40_000);
});
