/**
 * A wall stays up for days. Here it gets 2,000 snapshots as fast as it can render them, from a
 * scripted feed behind the real HTTP app (ranks churn, tags come and go, histories grow), and
 * Chromium's own counters must not grow: DOM nodes, event listeners, JS heap. Also: a tag is
 * always text, even when it looks like markup.
 */
import net from "node:net";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { HISTORY_TICKS, type TopEntry } from "../../shared/messages.ts";
import { createSeededRandom } from "../../server/demo/seeded-random.ts";
import { buildApp } from "../../server/http/app.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { BrowserSession, DIST_WEB, PAGE_WAIT, requireBuiltDashboard } from "./browser-session.ts";
import { skipWithoutChromium } from "./chromium.ts";
import { pageCosts, wallRows, type PageCosts } from "./page-probes.ts";
import { scriptedFeed, type ScriptedFeed } from "./scripted-feed.ts";

/**
 * Snapshots before the first measurement. The first thousand or so grow the heap by a few hundred
 * KB as V8 warms up (compiled code, inline caches) and then it levels off; measured here, a further
 * 6,000 snapshots added about 10 KB per 2,000.
 */
const WARM_UP = 1000;
const SNAPSHOTS = 2000;
/**
 * Allowed growth over the 2,000 snapshots, after a forced garbage collection. Every snapshot
 * replaces rows, so a leak of one node, listener or retained snapshot (a few KB) each time would
 * show as thousands of nodes or listeners, or megabytes; these bounds leave room only for noise.
 */
const MAX_NODE_GROWTH = 50;
const MAX_LISTENER_GROWTH = 0;
const MAX_HEAP_GROWTH_BYTES = 512 * 1024;

/** Sixty tags on a random walk: the top 20 of each step churns, with entries and exits. */
function churningRanking(): (epoch: number) => TopEntry[] {
  // Seeded, so every run churns the same way.
  const { next: random } = createSeededRandom(42);
  const names = Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? `タグ${i}` : `topic${i}`));
  const counts = names.map(() => Math.floor(random() * 500));
  const histories = names.map((): number[] => []);
  return () => {
    counts.forEach((count, i) => (counts[i] = Math.max(0, count + Math.floor((random() - 0.5) * 120))));
    counts.forEach((count, i) => {
      const history = histories[i] as number[];
      history.push(count);
      if (history.length > HISTORY_TICKS) history.shift();
    });
    return names
      .map((tag, i) => ({ tag, count: counts[i] ?? 0, history: [...(histories[i] ?? [])] }))
      .filter((entry) => entry.count > 0)
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1))
      .slice(0, 20)
      .map((entry, index) => ({ ...entry, rank: index + 1 }));
  };
}

/** Finite animations still running in the page (Svelte's transitions); endless ones are not waited for. */
const RUNNING_TRANSITIONS = `document.getAnimations().filter((animation) =>
  animation.playState === "running" && Number.isFinite(Number(animation.effect?.getComputedTiming().endTime))).length`;

const skip = skipWithoutChromium();

describe.skipIf(skip)("a wall that runs for days", () => {
  let app: FastifyInstance | undefined;
  const session = new BrowserSession();

  beforeAll(requireBuiltDashboard);

  afterEach(async () => {
    const errors = await session.close();
    await app?.close();
    app = undefined;
    expect(errors).toEqual([]);
  });

  async function serve(feed: ScriptedFeed): Promise<string> {
    app = await buildApp({ feed, log: silentLogger, staticDir: DIST_WEB });
    await app.listen({ host: "127.0.0.1", port: 0 });
    return `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
  }

  const open = (url: string): Promise<Page> => session.open(url, { viewport: { width: 1920, height: 1080 } });

  it.each([
    { view: "wall", path: "/wall", shown: '[data-testid="wall"]' },
    { view: "dashboard", path: "/", shown: '[data-testid="epoch"]' },
  ])(`keeps DOM nodes, listeners and heap flat over ${SNAPSHOTS} snapshots: $view`, async ({ path, shown }) => {
    const feed = scriptedFeed({ triggerMs: 100, topN: 20 });
    const page = await open(`${await serve(feed)}${path}`);
    // Connected with a snapshot. "late" counts too: with a 100 ms trigger and nothing pushed yet, a
    // loaded machine can take longer than two triggers to get here.
    await expect.poll(() => page.getByTestId("freshness").getAttribute("data-level"), PAGE_WAIT).toMatch(/^(live|late)$/);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");

    const next = churningRanking();
    let epoch = 0;
    const shownEpoch = () =>
      page.locator(shown).evaluate((element) => element.getAttribute("data-epoch") ?? element.textContent?.trim());
    /** Pushes `count` snapshots in bursts of ten, one frame apart, then lets the page settle. */
    const push = async (count: number): Promise<PageCosts> => {
      for (let sent = 0; sent < count; sent++) {
        epoch++;
        feed.push(epoch, next(epoch), { lines: epoch * 37, tags: epoch * 52 });
        if (sent % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 16));
      }
      await expect.poll(shownEpoch, { timeout: 90_000 }).toBe(String(epoch));
      // Until the last transitions have finished: their animations hold nodes until they end.
      await expect.poll(() => page.evaluate<number>(RUNNING_TRANSITIONS), { timeout: 30_000 }).toBe(0);
      return pageCosts(cdp);
    };

    const before = await push(WARM_UP);
    const after = await push(SNAPSHOTS);
    const growth = { nodes: after.nodes - before.nodes, listeners: after.listeners - before.listeners, heap: after.heapBytes - before.heapBytes };
    console.info(`${path}: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    expect(growth.nodes, "DOM nodes").toBeLessThanOrEqual(MAX_NODE_GROWTH);
    expect(growth.listeners, "event listeners").toBeLessThanOrEqual(MAX_LISTENER_GROWTH);
    expect(growth.heap, "JS heap bytes").toBeLessThanOrEqual(MAX_HEAP_GROWTH_BYTES);
    // Still showing the latest ranking, in order.
    const latest = feed.latest().snapshot.windows[0]?.top ?? [];
    if (path === "/wall") expect((await wallRows(page)).map((row) => row.tag)).toEqual(latest.map((entry) => entry.tag));
  }, 240_000);

  it("renders a tag that looks like markup as text, on the wall and in the table", async () => {
    const feed = scriptedFeed({ triggerMs: 1000, topN: 20 });
    const page = await open(`${await serve(feed)}/wall`);
    const markup = ['<img src=x onerror="window.tagstreamInjected=1">', "<b>bold</b>", "&amp;"];
    feed.push(1, markup.map((tag, index) => ({ tag, count: 10 - index, rank: index + 1, history: [10 - index] })));
    await expect.poll(async () => (await wallRows(page)).map((row) => row.label), PAGE_WAIT).toEqual(markup.map((tag) => `#${tag}`));
    expect(await page.locator('[data-testid="wall"] img, [data-testid="wall"] b').count()).toBe(0);
    expect(await page.getByTestId("top-table").locator("tbody td:nth-child(2)").allTextContents()).toEqual(markup);
    expect(await page.evaluate<unknown>("window.tagstreamInjected")).toBeUndefined();
  });

  it("holds the screen while the tab is hidden, and shows the newest snapshot the moment it is visible again", async () => {
    const feed = scriptedFeed({ triggerMs: 1000, topN: 20 });
    // Every frame the page's socket receives, as Chromium's network layer sees it.
    const received: string[] = [];
    const page = await open("about:blank");
    page.on("websocket", (socket) => socket.on("framereceived", ({ payload }) => void received.push(String(payload))));
    await page.goto(`${await serve(feed)}/wall`);
    const shown = async () => [await page.getByTestId("wall").getAttribute("data-epoch"), (await wallRows(page)).map((row) => row.tag)];
    // Headless Chromium never hides a tab on its own: the page is told, as a browser would tell it.
    const setVisibility = (state: "hidden" | "visible") =>
      page.evaluate(`(() => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "${state}" });
        document.dispatchEvent(new Event("visibilitychange"));
      })()`);

    feed.push(1, [{ tag: "first", count: 1, rank: 1, history: [1] }]);
    await expect.poll(shown, PAGE_WAIT).toEqual(["1", ["first"]]);
    await setVisibility("hidden");
    feed.push(2, [{ tag: "second", count: 2, rank: 1, history: [2] }]);
    feed.push(3, [{ tag: "third", count: 3, rank: 1, history: [3] }]);
    // Epoch 3 has reached the page, and the page has run its tasks since: it got it and kept it back.
    await expect.poll(() => received.some((frame) => frame.includes('"epoch":3')), PAGE_WAIT).toBe(true);
    await page.evaluate("new Promise((resolve) => setTimeout(resolve, 0))");
    expect(await shown()).toEqual(["1", ["first"]]);

    await setVisibility("visible");
    await expect.poll(shown, PAGE_WAIT).toEqual(["3", ["third"]]);
  });
});
