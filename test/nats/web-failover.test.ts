/**
 * Two web nodes and a wall in a real Chromium that lists both (`?servers=`): when the node it is on
 * is killed (-9), the wall reconnects to the other one and shows the latest snapshot at once; the
 * page's Content-Security-Policy lets it.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/config.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { LATEST_KEYS } from "../../server/nats/cluster-wire.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { openLatestBucket } from "../../server/nats/stream-setup.ts";
import { BrowserSession, PAGE_WAIT, requireBuiltDashboard } from "../browser/browser-session.ts";
import { skipWithoutChromium } from "../browser/chromium.ts";
import { natsAvailable, startNatsCluster, type NatsCluster } from "../support/nats-cluster.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { fakeReplica, helloFrame, snapshotFrame, startWebNode } from "./web-node-process.ts";

const STREAM = "WEBFAILOVER";

describe.runIf(natsAvailable() && !skipWithoutChromium())("a wall listing two web nodes", () => {
  let cluster: NatsCluster;
  const session = new BrowserSession();

  beforeAll(async () => {
    requireBuiltDashboard();
    cluster = await startNatsCluster();
  }, 30_000);
  afterEach(async () => {
    expect(await session.close()).toEqual([]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const shows = (page: Page, tag: string) => page.locator(`[data-testid="ranked-bars"] > li[data-tag="${tag}"]`).waitFor(PAGE_WAIT);

  it("goes on with the other node when the one it is on is killed, and gets the latest snapshot at once", async () => {
    const settings = loadConfig({ env: { NATS_URL: cluster.url, NATS_STREAM: STREAM } }).nats as NatsSettings;
    const connection = await connectNats(settings, "web-failover-test", silentLogger);
    const replica = await fakeReplica(cluster.urls[0] as string, STREAM, "replica-a");
    try {
      const bucket = await openLatestBucket(connection, settings);
      await bucket.put(LATEST_KEYS.hello, JSON.stringify(helloFrame()));
      await bucket.put(LATEST_KEYS.snapshot, JSON.stringify(snapshotFrame(10)));
      const env = { NATS_URL: cluster.url, NATS_STREAM: STREAM };
      const [first, second] = [await startWebNode(env), await startWebNode(env)];

      const servers = `127.0.0.1:${first.port},127.0.0.1:${second.port}`;
      const page = await session.open(`${first.httpUrl}/wall?servers=${servers}`, { viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });
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
      expect(await page.locator('[data-testid="ranked-bars"] > li').evaluateAll((rows) => rows.map((row) => row.getAttribute("data-tag")))).toEqual(["e13"]);
    } finally {
      await replica.close();
      await connection.close();
    }
  }, 60_000);
});
