/**
 * The wall display (`/wall`) in a real Chromium against the real aggregator, at 1080p and at 4K:
 * 20 labelled bars in rank order, type large enough to read across a room, the themes and their
 * contrast, reduced motion, the hidden cursor and the URL's settings with their fallbacks.
 *
 * Screenshots go to test-artifacts/ (git-ignored). Needs `npm run build` first (`npm test` does it).
 */
import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";
import { ARTIFACTS, BrowserSession, DIST_WEB, PAGE_WAIT, requireBuiltDashboard } from "./browser-session.ts";
import { skipWithoutChromium, type LaunchOptions } from "./chromium.ts";
import { contrastFailures, documentTheme, fitsViewport, styleOf, wallRows } from "./page-probes.ts";
import { batchSize, expectedTop, TRIGGERS, WallFixture, type Ranked } from "./wall-fixture.ts";


/**
 * The smallest tag label allowed: 1/45 of the screen's height, 24 px at 1080p and 48 px at 4K.
 * On a 55" screen that is type about 15 mm high (capitals about 11 mm), readable from 5 m.
 */
const MIN_LABEL_SHARE_OF_HEIGHT = 1 / 45;

const BEFORE = expectedTop(TRIGGERS - 1, 20);
const TOP_20 = expectedTop(TRIGGERS, 20);

/** The mark each row must carry after the last trigger: places moved since the one before, or new. */
function movementsBetween(previous: readonly Ranked[], current: readonly Ranked[]): Array<[string, string, number]> {
  const before = new Map(previous.map((entry, index) => [entry.tag, index + 1]));
  return current.map((entry, index) => {
    const was = before.get(entry.tag);
    const rank = index + 1;
    if (was === undefined) return [entry.tag, "new", 0];
    if (was === rank) return [entry.tag, "same", 0];
    return was > rank ? [entry.tag, "up", was - rank] : [entry.tag, "down", rank - was];
  });
}

const skip = skipWithoutChromium();

describe.skipIf(skip)("wall display in Chromium", () => {
  let harness: Harness | undefined;
  const fixture = new WallFixture();
  const session = new BrowserSession();

  beforeAll(async () => {
    requireBuiltDashboard();
    await mkdir(ARTIFACTS, { recursive: true });
    harness = await startHarness({
      staticDir: DIST_WEB,
      autoTick: false,
      triggerMs: 10_000,
      title: "Fediverse now",
      clock: fixture.clock,
    });
    await fixture.start(harness);
  });

  afterEach(async () => {
    expect(await session.close()).toEqual([]);
  });

  afterAll(async () => {
    fixture.close();
    await harness?.close();
  });

  async function openWall(query: string, options: LaunchOptions): Promise<Page> {
    const page = await session.open(`${harness?.httpUrl}/wall${query}`, options);
    await expect.poll(() => page.getByTestId("freshness").getAttribute("data-level"), PAGE_WAIT).toBe("live");
    return page;
  }

  it("at 1920×1080 and 3840×2160: 20 bars in rank order, labelled, moving, in large type, without scrolling", async () => {
    const viewports = [
      { width: 1920, height: 1080 },
      { width: 3840, height: 2160 },
    ];
    // Reduced motion: every row is already at its place and length when measured.
    const first = await openWall("", { viewport: viewports[0], reducedMotion: "reduce" });
    const second = await session.open(`${harness?.httpUrl}/wall`, { viewport: viewports[1] });
    const pages = [first, second];
    for (const page of pages) await expect.poll(() => page.getByTestId("wall").getAttribute("data-epoch"), PAGE_WAIT).toBe("12");

    // The last trigger arrives while both screens are open: ranks move, one tag enters.
    if (harness !== undefined) await fixture.advance(harness);

    for (const [index, page] of pages.entries()) {
      const viewport = viewports[index] ?? { width: 0, height: 0 };
      await expect.poll(() => page.getByTestId("wall").getAttribute("data-epoch"), PAGE_WAIT).toBe("13");
      const rows = await wallRows(page);

      expect(rows.map((row) => [row.rank, row.tag, row.count, row.label])).toEqual(
        TOP_20.map((entry, rank) => [rank + 1, entry.tag, entry.count, `#${entry.tag}`]),
      );
      expect(rows.map((row) => [row.tag, row.movement, row.places])).toEqual(movementsBetween(BEFORE, TOP_20));
      const minLabelPx = viewport.height * MIN_LABEL_SHARE_OF_HEIGHT;
      const leader = rows[0];
      for (const row of rows) {
        const where = `${viewport.width}: #${row.tag}`;
        expect(row.labelPx, `${where} label size`).toBeGreaterThanOrEqual(minLabelPx);
        expect(row.labelFits, `${where} label is cut`).toBe(true);
        // Bars start at zero, so each is as long as its count says, relative to the leader's.
        const expected = ((leader?.barWidth ?? 0) * row.count) / (leader?.count ?? 1);
        expect(Math.abs(row.barWidth - expected), `${where} bar ${row.barWidth} px, expected ${expected}`).toBeLessThanOrEqual(2);
      }
      rows.slice(1).forEach((row, above) => {
        const previous = rows[above];
        expect(row.top, `#${row.tag} sits right below #${previous?.tag}`).toBeCloseTo((previous?.top ?? 0) + (previous?.height ?? 0), 0);
      });
      expect(await fitsViewport(page)).toBe(true);

      expect(await page.getByTestId("wall-title").textContent()).toBe("Fediverse now");
      expect(await page.getByTestId("wall-window").textContent()).toBe("Top 20 · last 15 minutes");
      expect(await page.getByTestId("wall-source").textContent()).toBe("simulated stream");
      expect(await page.getByTestId("trigger-interval").textContent()).toBe("every 10 seconds");
      expect(await page.title()).toBe("Fediverse now");
      // Stats: 10 s between the last two triggers, uptime by the aggregator's (virtual) clock.
      const latest = harness?.aggregator.latest().snapshot;
      expect(await page.getByTestId("stat-ingestors").textContent()).toBe("1");
      expect(await page.getByTestId("stat-distinct").textContent()).toBe(String(latest?.stats.distinct));
      expect(await page.getByTestId("stat-uptime").textContent()).toBe("24 min 10 s");
      const last = batchSize(TRIGGERS);
      expect(await page.getByTestId("stat-postsPerSecond").textContent()).toBe((last.lines / 10).toFixed(1));
      expect(await page.getByTestId("stat-hashtagsPerSecond").textContent()).toBe((last.tags / 10).toFixed(1));

      // Each sparkline draws the history the server sent: one point per trigger the tag was in a top.
      const histories = latest?.windows[0]?.top.map((entry) => String(entry.history?.length));
      const points = await page
        .locator('[data-testid="ranked-bars"] > li')
        .evaluateAll((items) => items.map((item) => [item.getAttribute("data-rank"), item.querySelector("svg")?.getAttribute("data-points")]));
      expect(points.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, count]) => count)).toEqual(histories);
      expect(await contrastFailures(page)).toEqual([]);

      await page.screenshot({ path: `${ARTIFACTS}wall-${viewport.width}x${viewport.height}.png` });
    }
  });

  it("switches to the light theme from the URL, with AA contrast there too", async () => {
    const page = await openWall("?theme=light", { viewport: { width: 1920, height: 1080 }, reducedMotion: "reduce" });
    expect(await documentTheme(page)).toBe("light");
    expect(await styleOf(page.locator("body"), "backgroundColor")).toBe("rgb(238, 242, 247)");
    await expect.poll(async () => (await wallRows(page)).length, PAGE_WAIT).toBe(20);
    expect(await contrastFailures(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}wall-1920x1080-light.png` });
  });

  it.each(["dark", "light"])("keeps AA contrast in the browser view too, %s theme, settings open", async (theme) => {
    const page = await session.open(`${harness?.httpUrl}/?theme=${theme}`, {
      viewport: { width: 1280, height: 800 },
      reducedMotion: "reduce",
    });
    await expect.poll(() => page.getByTestId("freshness").getAttribute("data-level"), PAGE_WAIT).toBe("live");
    await page.getByTestId("settings-toggle").click();
    await expect.poll(() => page.getByTestId("settings-disabled").count(), PAGE_WAIT).toBe(1);
    expect(await contrastFailures(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}dashboard-1280x800-${theme}-settings.png` });
  });

  it("lets the keyboard reach and use every control of the browser view", async () => {
    const page = await session.open(`${harness?.httpUrl}/`, { viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });
    await expect.poll(() => page.getByTestId("freshness").getAttribute("data-level"), PAGE_WAIT).toBe("live");
    const focused = () =>
      page.evaluate<string>(`(() => {
        const element = document.activeElement;
        return element?.dataset.window !== undefined ? "window:" + element.dataset.window : element?.dataset.testid ?? element?.tagName ?? "";
      })()`);
    const tabOrder = async (stops: number): Promise<string[]> => {
      const order: string[] = [];
      for (let i = 0; i < stops; i++) {
        await page.keyboard.press("Tab");
        order.push(await focused());
      }
      return order;
    };

    expect(await tabOrder(3)).toEqual(["settings-toggle", "window:15m", "window:complete"]);
    await page.keyboard.press("ArrowLeft");
    expect(await focused()).toBe("window:15m");
    await page.keyboard.press("ArrowRight");
    expect(await page.locator('[data-window="complete"]').getAttribute("aria-pressed")).toBe("true");

    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    expect(await focused()).toBe("settings-toggle");
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("settings-toggle").getAttribute("aria-expanded")).toBe("true");
    // Without ADMIN_TOKEN (the panel asks the server) the interval fields are disabled, so the theme
    // and the wall link come next.
    await expect.poll(() => page.getByTestId("settings-disabled").count(), PAGE_WAIT).toBe(1);
    expect(await tabOrder(2)).toEqual(["theme-dark", "wall-link"]);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("ArrowRight");
    expect(await focused()).toBe("theme-light");
    expect(await documentTheme(page)).toBe("light");
    expect(await page.getByTestId("wall-link").getAttribute("href")).toBe("/wall?window=complete&theme=light");
  });

  it("follows the system's scheme with theme=auto, live, without a reload", async () => {
    const page = await openWall("?theme=auto", { viewport: { width: 1280, height: 720 } });
    const theme = () => documentTheme(page);
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(theme, PAGE_WAIT).toBe("dark");
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(theme, PAGE_WAIT).toBe("light");
    expect(await page.getByTestId("view-notices").count()).toBe(0);
  });

  it("glides rows to a new rank, unless the viewer prefers reduced motion", async () => {
    const transition = (page: Page) => styleOf(page.locator('[data-testid="ranked-bars"] > li').first(), "transitionDuration");
    const moving = await openWall("", { viewport: { width: 1280, height: 720 }, reducedMotion: "no-preference" });
    expect(await transition(moving)).toBe("0.9s");
    expect(await session.close()).toEqual([]);
    const still = await openWall("", { viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });
    expect(Number.parseFloat(await transition(still))).toBeLessThan(0.001);
  });

  it("hides the pointer after it has been still for a few seconds", async () => {
    const page = await openWall("", { viewport: { width: 1280, height: 720 } });
    const cursor = () => styleOf(page.getByTestId("wall"), "cursor");
    await page.mouse.move(400, 300);
    expect(await cursor()).toBe("auto");
    await expect.poll(cursor, { timeout: 6000, interval: 250 }).toBe("none");
    await page.mouse.move(420, 320);
    expect(await cursor()).toBe("auto");
  });

  it("takes n, hide and window from the URL, and falls back with a visible notice on what it cannot use", async () => {
    const page = await openWall("?n=50&theme=purple&window=1h&hide=Caturday,%E5%86%99%E7%9C%9F&title=Lobby%20B", {
      viewport: { width: 1920, height: 1080 },
      reducedMotion: "reduce",
    });
    await expect.poll(async () => (await wallRows(page)).length, PAGE_WAIT).toBe(18);
    const shown = TOP_20.filter((entry) => entry.tag !== "caturday" && entry.tag !== "写真");
    expect((await wallRows(page)).map((row) => [row.rank, row.tag])).toEqual(shown.map((entry, index) => [index + 1, entry.tag]));
    expect(await page.getByTestId("view-notices").locator("li").allTextContents()).toEqual([
      "theme “purple” is not dark, light or auto: using dark.",
      "window “1h” is not kept by this server (15m, complete): showing last 15 minutes.",
      "n 50 is more than this server's top 20: showing 20.",
    ]);
    expect(await documentTheme(page)).toBe("dark");
    expect(await page.getByTestId("wall-title").textContent()).toBe("Lobby B");

    await page.goto(`${harness?.httpUrl}/?wall=1&n=5&window=complete`);
    await expect
      .poll(async () => (await wallRows(page)).map((row) => [row.tag, row.count]))
      .toEqual(expectedTop(TRIGGERS, 5, "complete").map((entry) => [entry.tag, entry.count]));
    expect(await page.getByTestId("wall-window").textContent()).toBe("Top 5 · since start");
    expect(await page.getByTestId("view-notices").count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}wall-1920x1080-top5.png` });
  });
});
