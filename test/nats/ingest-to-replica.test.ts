/**
 * From Mastodon to a replica's counts through real processes only: `ingest` processes with NATS_URL
 * following simulated Mastodon servers, a 3-node cluster, and a `serve` replica whose
 * `/api/tags/:tag` and `/api/top` must hold exactly the distinct posts the servers sent — a post
 * federated to both servers counted once, and nothing lost or counted twice when a NATS node is
 * killed or the whole cluster is away for a while.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/config.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import type { MastodonStatus } from "../../server/demo/mastodon-entities.ts";
import { startSimulatedMastodon, type SimulatedMastodon } from "../../server/demo/simulated-mastodon.ts";
import { controlMessageSchema } from "../../server/nats/cluster-wire.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { waitFor, type ServeProcess } from "../integration/serve-process.ts";
import { spawnCommand, type CommandProcess } from "../support/command-process.ts";
import { natsAvailable } from "../support/nats-cluster.ts";
import { clusterPerFile } from "./cluster-per-file.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { health, startReplica, waitForCounts } from "./replica-processes.ts";
import { streamContents } from "./stream-contents.ts";

function startIngest(server: SimulatedMastodon, url: string, stream: string, env: Readonly<Record<string, string>> = {}): CommandProcess {
  return spawnCommand("ingest", { MASTODON_URL: server.restUrl, MASTODON_TOKEN: server.token, NATS_URL: url, NATS_STREAM: stream, LOG_FORMAT: "json", ...env });
}

/** The publisher's counters the ingest process logs when it stops. */
function publisherCounters(run: CommandProcess): Record<string, number> | undefined {
  const entry = run
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg?: string; stream?: Record<string, number> })
    .find((logged) => logged.msg === "stream publisher closed");
  return entry?.stream;
}

/** Tag counts of distinct posts (tags as the ingestor normalises them: these are lower case already). */
function countTags(statuses: readonly MastodonStatus[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const seen = new Set<string>();
  for (const status of statuses) {
    if (seen.has(status.uri)) continue;
    seen.add(status.uri);
    for (const tag of status.tags) counts[tag.name] = (counts[tag.name] ?? 0) + 1;
  }
  return counts;
}

/** The complete window's top as tag → count, and that its order is the wire's (count, then tag). */
async function completeTop(serve: ServeProcess): Promise<Record<string, number>> {
  const top = await serve.top("complete");
  const order = [...top].sort((x, y) => y.count - x.count || (x.tag < y.tag ? -1 : 1));
  expect(top.map((entry) => entry.tag)).toEqual(order.map((entry) => entry.tag));
  return Object.fromEntries(top.map((entry) => [entry.tag, entry.count]));
}

async function stopIngest(run: CommandProcess): Promise<void> {
  run.child.kill("SIGTERM");
  expect(await run.exited, run.output().slice(-3000)).toBe(0);
}

describe.runIf(natsAvailable())("ingest processes to a replica's counts", () => {
  const cluster = clusterPerFile();

  /** What the stream holds on its posts subject (the replicas' epoch-end markers left out). */
  async function storedPosts(stream: string): Promise<string[]> {
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: stream } }).nats as NatsSettings;
    const connection = await connectNats(settings, "ingest-to-replica-test", silentLogger);
    try {
      // Just after a node is lost, JetStream's API may time out until its leaders are elected again.
      for (let attempt = 1; ; attempt++) {
        try {
          return (await streamContents(connection, stream)).map((message) => message.data).filter((data) => !isControl(data));
        } catch (error) {
          if (attempt === 4) throw error;
        }
      }
    } finally {
      await connection.close();
    }
  }

  it("two ingestors following two servers that share half their posts: every count exact, a shared post once", async () => {
    const stream = "E2E_SHARED";
    const replica = await startReplica({ url: cluster.url, stream });
    const [a, b] = [await startSimulatedMastodon({ domain: "a.example" }), await startSimulatedMastodon({ domain: "b.example" })];
    const runs = [startIngest(a, cluster.url, stream), startIngest(b, cluster.url, stream)];
    try {
      await waitUntilSubscribed(a);
      await waitUntilSubscribed(b);
      // 20 posts from elsewhere that both servers received (each under its own local id, the same
      // uri), and 10 of each server's own.
      const shared = (server: SimulatedMastodon, n: number): MastodonStatus =>
        craftStatus({ id: `${server === a ? 1000 : 5000}${n}`, originId: `7${n}`, acct: `carol${n % 3}@origin.example`, serverDomain: server.domain, tags: [`lang${n % 4}`, "shared"] });
      const own = (server: SimulatedMastodon, n: number): MastodonStatus =>
        craftStatus({ id: `9${n}`, acct: `local${n % 2}`, serverDomain: server.domain, tags: [`${server === a ? "a" : "b"}${n % 3}`, "fedi"] });
      const sent: MastodonStatus[] = [];
      for (let n = 0; n < 20; n++) {
        for (const server of [a, b]) {
          const status = n % 2 === 0 ? own(server, n / 2) : shared(server, n);
          server.publish({ event: "update", status });
          sent.push(status);
        }
        for (const server of [b, a]) {
          const status = shared(server, 100 + n);
          server.publish({ event: "update", status });
          sent.push(status);
        }
      }
      // Each server sent 40 statuses: 10 of its own and 30 shared ones; 50 distinct posts in all.
      expect(sent.length).toBe(80);
      expect(new Set(sent.map((status) => status.uri)).size).toBe(50);
      const expected = countTags(sent);
      expect(expected.shared).toBe(30);
      expect(expected.fedi).toBe(20);

      await waitForCounts([replica], expected, 30_000);
      for (const run of runs) await stopIngest(run);
      const counters = runs.map(publisherCounters);
      // Each published its hello and all 40; JetStream kept one copy of each shared post.
      for (const counter of counters) expect(counter).toMatchObject({ published: 41, acked: 41, dropped: 0, pending: 0 });
      expect((counters[0]?.duplicates ?? 0) + (counters[1]?.duplicates ?? 0)).toBe(30);
      expect((await storedPosts(stream)).length).toBe(2 + 50);
      await waitFor(async () => (await health(replica)).cluster?.lag === 0, 10_000, () => "the replica did not apply the whole stream");
      expect(await completeTop(replica)).toEqual(expected);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it("a NATS node killed mid-stream: publishing and counting go on, every count exact", async () => {
    const stream = "E2E_NODEKILL";
    const replica = await startReplica({ url: cluster.url, stream });
    const server = await startSimulatedMastodon({ domain: "d.example" });
    const run = startIngest(server, cluster.url, stream);
    const statuses = Array.from({ length: 60 }, (_, n) => craftStatus({ id: String(n + 1), acct: `eve${n % 3}@remote.example`, serverDomain: server.domain, tags: [`k${n % 5}`, "all"] }));
    try {
      await waitUntilSubscribed(server);
      for (const status of statuses.slice(0, 30)) server.publish({ event: "update", status });
      await waitForCounts([replica], countTags(statuses.slice(0, 30)), 30_000);
      // The node the ingestor or the replica may be connected to, and perhaps the stream's leader.
      await cluster.kill(0);
      for (const status of statuses.slice(30)) {
        server.publish({ event: "update", status });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await waitForCounts([replica], countTags(statuses), 45_000);
      await stopIngest(run);
      expect(publisherCounters(run)).toMatchObject({ published: 61, acked: 61, dropped: 0, pending: 0 });
      expect((await storedPosts(stream)).length).toBe(61);
      await waitFor(async () => (await health(replica)).cluster?.lag === 0, 10_000, () => "the replica did not apply the whole stream");
      expect(await completeTop(replica)).toEqual(countTags(statuses));
    } finally {
      await server.close();
      await cluster.start(0);
    }
  }, 90_000);

  // Last in this file: it takes the whole cluster away.
  it("the whole cluster away for 20 s: the ingestor queues, then delivers; the replica counts every post once", async () => {
    const stream = "E2E_OUTAGE";
    const replica = await startReplica({ url: cluster.url, stream });
    const server = await startSimulatedMastodon({ domain: "c.example" });
    const run = startIngest(server, cluster.url, stream, { RECONNECT_CAP: "1s" });
    const statuses = Array.from({ length: 90 }, (_, n) => craftStatus({ id: String(n + 1), acct: `dan${n % 4}@remote.example`, serverDomain: server.domain, tags: [`t${n % 7}`, "all"] }));
    const expectedOf = (count: number): Record<string, number> => countTags(statuses.slice(0, count));
    try {
      await waitUntilSubscribed(server);
      for (const status of statuses.slice(0, 30)) server.publish({ event: "update", status });
      await waitForCounts([replica], expectedOf(30), 30_000);

      await cluster.killAll();
      // Posts keep arriving while no node is up: they wait in the ingestor's queue.
      for (const status of statuses.slice(30, 60)) {
        server.publish({ event: "update", status });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 17_000));
      // What the replica answers while the cluster is away: the counts it had.
      expect(await completeTop(replica)).toEqual(expectedOf(30));
      await cluster.startAll();
      for (const status of statuses.slice(60)) server.publish({ event: "update", status });

      await waitForCounts([replica], expectedOf(90), 45_000);
      await stopIngest(run);
      expect(publisherCounters(run)).toMatchObject({ published: 91, acked: 91, dropped: 0, pending: 0 });
      expect((await storedPosts(stream)).length).toBe(91);
      await waitFor(async () => (await health(replica)).cluster?.lag === 0, 10_000, () => "the replica did not apply the whole stream");
      expect(await completeTop(replica)).toEqual(expectedOf(90));
      expect(expectedOf(90).all).toBe(90);
    } finally {
      await server.close();
    }
  }, 120_000);
});

function isControl(data: string): boolean {
  try {
    return controlMessageSchema.safeParse(JSON.parse(data)).success;
  } catch {
    return false;
  }
}

async function waitUntilSubscribed(server: SimulatedMastodon): Promise<void> {
  await waitFor(() => server.subscriptions().length === 1, 20_000, () => `no ingestor subscribed to ${server.domain}`);
}
