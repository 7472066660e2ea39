/**
 * The wall and the dashboard over time, in a real Chromium against the real aggregator: movements
 * after a crafted sequence of snapshots, the freshness indicator through a stall, an outage and a
 * recovery, a screen that nothing feeds, and a trigger interval changed from the settings panel,
 * seen as a new cadence.
 */
import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { IngestReport } from "../../shared/messages.ts";
import { startHarness, type Harness, type HarnessOptions } from "../support/aggregator-harness.ts";
import { freePort } from "../support/free-port.ts";
import { waitUntil } from "../support/wait-until.ts";
import { ARTIFACTS, BrowserSession, DIST_WEB, PAGE_WAIT, requireBuiltDashboard } from "./browser-session.ts";
import { skipWithoutChromium } from "./chromium.ts";
import { wallRows } from "./page-probes.ts";

const ADMIN_TOKEN = "wall-test-admin-token";

const INGEST_REPORT: IngestReport = {
  statuses: 900,
  forwarded: 400,
  tags: 1200,
  edits: 0,
  deletes: 0,
  statusesPerSecond: 12.5,
  tagsPerSecond: 31.25,
  reconnects: 0,
  duplicates: 0,
  filtered: {},
  queued: 0,
  dropped: 0,
  connected: 1,
};

const skip = skipWithoutChromium();

describe.skipIf(skip)("wall and dashboard over time", () => {
  const harnesses: Harness[] = [];
  const session = new BrowserSession();

  beforeAll(requireBuiltDashboard);

  afterEach(async () => {
    const errors = await session.close();
    for (const harness of harnesses.splice(0)) await harness.close();
    expect(errors).toEqual([]);
  });

  async function serve(options: HarnessOptions = {}): Promise<Harness> {
    const harness = await startHarness({ staticDir: DIST_WEB, autoTick: false, ...options });
    harnesses.push(harness);
    return harness;
  }

  const open = (url: string): Promise<Page> => session.open(url, { viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });

  const level = (page: Page) => page.getByTestId("freshness").getAttribute("data-level");
  const marks = async (page: Page) => (await wallRows(page)).map((row) => [row.tag, row.movement, row.places]);

  it("marks each tag's move after a crafted sequence: ▲/▼ with places, a badge for a new tag", async () => {
    const harness = await serve();
    await harness.sendLines("alpha\nalpha\nalpha\nalpha\nbravo\nbravo\nbravo\ncharlie\ncharlie\n");
    harness.aggregator.tick();
    const page = await open(`${harness.httpUrl}/wall`);
    await expect.poll(() => marks(page), PAGE_WAIT).toEqual([
      ["alpha", "same", 0],
      ["bravo", "same", 0],
      ["charlie", "same", 0],
    ]);

    // charlie overtakes both, delta arrives new between them.
    await harness.sendLines(`${"charlie\n".repeat(4)}${"delta\n".repeat(3)}`);
    harness.aggregator.tick();
    await expect.poll(() => marks(page), PAGE_WAIT).toEqual([
      ["charlie", "up", 2],
      ["alpha", "down", 1],
      ["bravo", "down", 1],
      ["delta", "new", 0],
    ]);
    expect(await page.locator('[data-movement="up"]').textContent()).toBe("▲2");
    expect(await page.locator('[data-movement="new"]').textContent()).toBe("new");
    expect(await page.getByTestId("ranking-announcer").textContent()).toBe("#charlie is now number 1. #delta is new at rank 4.");
    const changes = await page
      .getByTestId("top-table")
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => row.querySelector("td:last-child")?.textContent));
    expect(changes).toEqual(["up 2", "down 1", "down 1", "new"]);
  });

  it("turns amber when a snapshot is late by one trigger, red when the server is down, green again when it returns", async () => {
    const httpPort = await freePort();
    const first = await serve({ httpPort, triggerMs: 400 });
    await first.connectIngestor();
    await first.sendLines("before\n");
    first.aggregator.tick();
    const page = await open(`http://127.0.0.1:${httpPort}/wall`);
    await expect.poll(() => level(page), PAGE_WAIT).toBe("live");
    await expect.poll(() => page.getByTestId("connection-state").textContent(), PAGE_WAIT).toBe("Live");

    // No tick for more than 2 × 400 ms while the socket stays up: late.
    await expect.poll(() => level(page), { timeout: 3000, interval: 100 }).toBe("late");
    expect(await page.getByTestId("connection-state").textContent()).toBe("Late");
    expect(await page.getByTestId("freshness-age").textContent()).toMatch(/^updated \d s ago$/);

    await first.close();
    harnesses.splice(harnesses.indexOf(first), 1);
    await expect.poll(() => level(page), { timeout: 3000, interval: 100 }).toBe("down");
    expect(await page.getByTestId("connection-state").textContent()).toBe("Offline, reconnecting");
    expect((await wallRows(page)).map((row) => row.tag)).toEqual(["before"]);

    // A new server on the same port, already ahead: the page shows its latest snapshot on reconnect,
    // without waiting for the next trigger.
    const second = await serve({ httpPort, triggerMs: 400 });
    await second.connectIngestor();
    await second.sendLines("after\nafter\n");
    second.aggregator.tick();
    await expect.poll(() => level(page), { timeout: 15_000, interval: 100 }).toBe("live");
    await expect.poll(async () => (await wallRows(page)).map((row) => [row.tag, row.count]), PAGE_WAIT).toEqual([["after", 2]]);
  });

  it("says so when no source is connected, on the wall and the dashboard, and live once one is", async () => {
    const harness = await serve({ triggerMs: 60_000 });
    await harness.sendLines("alpha\nalpha\nbravo\n");
    harness.aggregator.tick();
    const wall = await open(`${harness.httpUrl}/wall`);
    await expect.poll(() => level(wall), PAGE_WAIT).toBe("unfed");
    expect(await wall.getByTestId("connection-state").textContent()).toBe("No source");
    expect(await wall.getByTestId("wall-source").textContent()).toBe("no source connected");
    expect(await wall.getByTestId("stat-ingestors").textContent()).toBe("0");
    // What was counted before stays on screen.
    expect((await wallRows(wall)).map((row) => [row.tag, row.count])).toEqual([["alpha", 2], ["bravo", 1]]);
    await mkdir(ARTIFACTS, { recursive: true });
    await wall.screenshot({ path: `${ARTIFACTS}wall-no-source.png` });
    const dashboard = await open(harness.httpUrl);
    await expect.poll(() => level(dashboard), PAGE_WAIT).toBe("unfed");
    expect(await dashboard.getByTestId("instances").textContent()).toBe("no source connected");

    // An ingestor connects: at the next snapshot both screens are live and name its server.
    const ingestor = await harness.connectIngestor('{"op":"hello","source":"live","instances":["mastodon.example"]}\n');
    await waitUntil(() => harness.aggregator.stats.instances.length === 1);
    harness.aggregator.tick();
    await expect.poll(() => level(wall), PAGE_WAIT).toBe("live");
    expect(await wall.getByTestId("connection-state").textContent()).toBe("Live");
    expect(await wall.getByTestId("wall-source").textContent()).toBe("mastodon.example");
    await expect.poll(() => level(dashboard), PAGE_WAIT).toBe("live");
    expect(await dashboard.getByTestId("instances").textContent()).toBe("mastodon.example");

    // It goes away: at the next snapshot both screens say nothing feeds them.
    ingestor.destroy();
    await waitUntil(() => harness.aggregator.stats.connections === 0);
    harness.aggregator.tick();
    await expect.poll(() => level(dashboard), PAGE_WAIT).toBe("unfed");
    expect(await dashboard.getByTestId("connection-state").textContent()).toBe("No source");
    expect(await dashboard.getByTestId("instances").textContent()).toBe("no source connected");
    await expect.poll(() => level(wall), PAGE_WAIT).toBe("unfed");
    expect(await wall.getByTestId("wall-source").textContent()).toBe("no source connected");
  });

  it("shows the ingestor's reported rates from a page's first snapshot", async () => {
    const harness = await serve({ triggerMs: 60_000 });
    await harness.connectIngestor(
      '{"op":"hello","source":"live","instances":["mastodon.example"]}\n' +
        `${JSON.stringify({ op: "stats", ...INGEST_REPORT })}\n`,
    );
    // The report is read just after the connection is counted: tick until a snapshot carries it.
    const reportedRate = (): number | undefined => {
      harness.aggregator.tick();
      return harness.aggregator.latest().snapshot.ingest?.statusesPerSecond;
    };
    await expect.poll(reportedRate, PAGE_WAIT).toBe(12.5);

    // A page opened now gets one snapshot, which the rate meter alone cannot turn into a rate.
    const epoch = harness.aggregator.latest().snapshot.epoch;
    const wall = await open(`${harness.httpUrl}/wall`);
    const dashboard = await open(harness.httpUrl);
    await expect.poll(() => dashboard.getByTestId("epoch").textContent(), PAGE_WAIT).toBe(String(epoch));
    await expect.poll(() => wall.getAttribute("[data-testid=wall]", "data-epoch"), PAGE_WAIT).toBe(String(epoch));
    for (const page of [wall, dashboard]) {
      expect(await page.getByTestId("stat-postsPerSecond").textContent()).toBe("12.5");
      expect(await page.getByTestId("stat-hashtagsPerSecond").textContent()).toBe("31.3");
    }
    expect(harness.aggregator.latest().snapshot.epoch).toBe(epoch);
  });

  it("changes the trigger interval from the settings panel: every screen shows it, snapshots come at the new cadence", async () => {
    const harness = await serve({ autoTick: true, triggerMs: 1000, adminToken: ADMIN_TOKEN });
    const dashboard = await open(harness.httpUrl);
    const wall = await open(`${harness.httpUrl}/wall`);
    await expect.poll(() => dashboard.getByTestId("trigger-interval").textContent(), PAGE_WAIT).toBe("every 1 second");
    await expect.poll(() => wall.getByTestId("trigger-interval").textContent(), PAGE_WAIT).toBe("every 1 second");

    // The page's own record of when each epoch appeared on screen.
    const epochTimes = async (): Promise<number[]> =>
      dashboard.evaluate<number[]>("window.tagstreamEpochTimes ?? []");
    await dashboard.evaluate(`(() => {
      window.tagstreamEpochTimes = [];
      const epoch = document.querySelector('[data-testid="epoch"]');
      new MutationObserver(() => window.tagstreamEpochTimes.push(performance.now()))
        .observe(epoch, { childList: true, characterData: true, subtree: true });
    })()`);
    await expect.poll(async () => (await epochTimes()).length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    const slow = gaps(await epochTimes());
    expect(Math.min(...slow)).toBeGreaterThan(800);

    // The wall opened last; clicks wait for animation frames, which only the front tab gets.
    await dashboard.bringToFront();
    await dashboard.getByTestId("settings-toggle").click();
    await dashboard.getByTestId("settings-interval").fill("200ms");
    await dashboard.getByTestId("settings-token").fill("not-the-token");
    await dashboard.getByTestId("settings-apply").click();
    await expect.poll(() => dashboard.getByTestId("settings-status").textContent(), PAGE_WAIT).toBe("The admin token was not accepted.");
    expect(harness.aggregator.hello().triggerMs).toBe(1000);

    await dashboard.getByTestId("settings-token").fill(ADMIN_TOKEN);
    await dashboard.getByTestId("settings-apply").click();
    await expect.poll(() => dashboard.getByTestId("settings-status").textContent(), PAGE_WAIT).toBe("Snapshots now every 200 milliseconds.");
    await expect.poll(() => dashboard.getByTestId("trigger-interval").textContent(), PAGE_WAIT).toBe("every 200 milliseconds");
    await expect.poll(() => wall.getByTestId("trigger-interval").textContent(), PAGE_WAIT).toBe("every 200 milliseconds");

    const changedAt = (await epochTimes()).length;
    await expect.poll(async () => (await epochTimes()).length - changedAt, { timeout: 5000 }).toBeGreaterThanOrEqual(8);
    const fast = gaps((await epochTimes()).slice(changedAt + 1));
    const median = [...fast].sort((a, b) => a - b)[Math.floor(fast.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(120);
    expect(median).toBeLessThan(400);
  });
});

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - (times[index] ?? 0));
}
