/**
 * Two web nodes and a wall in a real Chromium that lists both (`?servers=`): when the node it is on
 * is killed (-9), the wall reconnects to the other one, shows the latest snapshot at once, and asks
 * that one for what the snapshot does not hold; the page's Content-Security-Policy lets it. The
 * frames come from a test's stand-in for a replica, and, in the last test, from a real `serve`
 * replica counting what is published to the stream.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TopResponse } from "../../shared/messages.ts";
import { loadConfig } from "../../server/config/config.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { clusterSubjects, LATEST_KEYS } from "../../server/nats/cluster-wire.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { openLatestBucket } from "../../server/nats/stream-setup.ts";
import { BrowserSession, PAGE_WAIT, requireBuiltDashboard } from "../browser/browser-session.ts";
import { skipWithoutChromium } from "../browser/chromium.ts";
import { natsAvailable, startNatsCluster, type NatsCluster } from "../support/nats-cluster.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { encodePlainLine } from "../../shared/line-protocol.ts";
import { publisher, startReplica } from "./replica-processes.ts";
import { fakeReplica, helloFrame, snapshotFrame, startWebNode, type FakeReplica, type WebNodeProcess } from "./web-node-process.ts";

describe.runIf(natsAvailable() && !skipWithoutChromium())("a wall listing two web nodes", () => {
  let cluster: NatsCluster;
  let connection: NatsConnection;
  const session = new BrowserSession();
  const closing: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    requireBuiltDashboard();
    cluster = await startNatsCluster();
    const settings = loadConfig({ env: { NATS_URL: cluster.url } }).nats as NatsSettings;
    connection = await connectNats(settings, "web-failover-test", silentLogger);
  }, 30_000);
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
    expect(await session.close()).toEqual([]);
  });
  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
  });

  /** Two web nodes on `stream`, started from snapshot 10, a replica to feed them, and a wall on the first listing both. */
  async function twoNodesAndAWall(stream: string, query: string, languages?: string[]): Promise<{ first: WebNodeProcess; replica: FakeReplica; page: Page }> {
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: stream } }).nats as NatsSettings;
    const bucket = await openLatestBucket(connection, settings);
    await bucket.put(LATEST_KEYS.hello, JSON.stringify(helloFrame()));
    await bucket.put(LATEST_KEYS.snapshot, JSON.stringify(snapshotFrame(10, languages)));
    const replica = await fakeReplica(cluster.urls[0] as string, stream, "replica-a");
    closing.push(() => replica.close());
    const env = { NATS_URL: cluster.url, NATS_STREAM: stream };
    const [first, second] = [await startWebNode(env), await startWebNode(env)];
    const servers = `127.0.0.1:${first.port},127.0.0.1:${second.port}`;
    const page = await session.open(`${first.httpUrl}/wall?${query}&servers=${servers}`, { viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });
    return { first, replica, page };
  }

  const shows = (page: Page, tag: string) => page.locator(`[data-testid="ranked-bars"] > li[data-tag="${tag}"]`).waitFor(PAGE_WAIT);
  const tagsShown = (page: Page) => page.locator('[data-testid="ranked-bars"] > li').evaluateAll((rows) => rows.map((row) => row.getAttribute("data-tag")));

  it("goes on with the other node when the one it is on is killed, and gets the latest snapshot at once", async () => {
    const { first, replica, page } = await twoNodesAndAWall("WEBFAILOVER", "window=15m");
    await shows(page, "e10");
    await replica.send(snapshotFrame(11), 11);
    await shows(page, "e11");

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    // Sent while the wall has no connection: only the second node has it, and gives it on connect.
    await replica.send(snapshotFrame(12), 12);
    await shows(page, "e12");
    await replica.send(snapshotFrame(13), 13);
    await shows(page, "e13");
    expect(await tagsShown(page)).toEqual(["e13"]);
  }, 60_000);

  it("asks the node it is now on for a language's top, which the snapshot does not hold", async () => {
    const stream = "WEBFAILOVERLANG";
    let epoch = 10;
    const asked: string[] = [];
    const subjects = clusterSubjects(stream);
    const responder = connection.subscribe(subjects.top, {
      queue: subjects.replicaQueue,
      callback: (_error, message) => {
        asked.push(message.string());
        const top: TopResponse = { window: "15m", by: "posts", lang: "de", epoch, at: snapshotFrame(epoch).at, top: [{ tag: `de${epoch}`, count: 1, rank: 1 }] };
        message.respond(JSON.stringify(top));
      },
    });
    closing.push(async () => responder.unsubscribe());
    await connection.flush();
    const { first, replica, page } = await twoNodesAndAWall(stream, "window=15m&lang=de", ["de"]);
    await shows(page, "de10");

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    epoch = 12;
    await replica.send(snapshotFrame(12, ["de"]), 12);
    // Only the second node is there to ask: the wall's question went to it.
    await shows(page, "de12");
    expect(await tagsShown(page)).toEqual(["de12"]);
    expect(asked.length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("with a real replica behind both nodes: the wall goes on with the other node and shows the replica's next counts", async () => {
    const stream = "WEBFAILOVERREAL";
    await startReplica({ url: cluster.url, stream });
    const publish = await publisher(cluster.url, stream);
    closing.push(() => publish.close());
    await publish.lines(Array.from({ length: 3 }, () => encodePlainLine(["before"]).trimEnd()));
    const env = { NATS_URL: cluster.url, NATS_STREAM: stream };
    const [first, second] = [await startWebNode(env), await startWebNode(env)];
    const page = await session.open(`${first.httpUrl}/wall?window=complete&servers=127.0.0.1:${first.port},127.0.0.1:${second.port}`, { viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });
    await shows(page, "before");

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    await publish.lines(Array.from({ length: 5 }, () => encodePlainLine(["after"]).trimEnd()));
    // The five lines may fall in more than one epoch: wait for the one that holds them all.
    await page.locator('[data-testid="ranked-bars"] > li[data-tag="after"][data-count="5"]').waitFor(PAGE_WAIT);
    expect(await tagsShown(page)).toEqual(["after", "before"]);
    const counts = await page.locator('[data-testid="ranked-bars"] > li').evaluateAll((rows) => rows.map((row) => row.getAttribute("data-count")));
    expect(counts).toEqual(["5", "3"]);
  }, 60_000);
});
