/**
 * The trend on screen, in a real Chromium against the real aggregator on a virtual clock: an
 * evergreen tag used by the same four accounts, a spam account repeating one tag, and a burst by
 * six new accounts. The wall's "Trending now" mode shows the burst alone with its reason in plain
 * words and its accounts; "Most used" shows the spam first; the dashboard's selector switches the
 * ranking, and its tag detail shows posts and accounts in every window, the score and its
 * baseline, and a link to the tag on each source server.
 */
import net from "node:net";
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness, type HarnessOptions } from "../support/aggregator-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { ARTIFACTS, BrowserSession, DIST_WEB, PAGE_WAIT, requireBuiltDashboard } from "./browser-session.ts";
import { skipWithoutChromium } from "./chromium.ts";
import { wallRows } from "./page-probes.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
const line = (tag: string, acct: string): string => `${JSON.stringify({ tags: [tag], acct })}\n`;

/** The real aggregator and the built dashboard on a virtual clock. */
async function servedHarness(clock: { now: number }, options: HarnessOptions): Promise<Harness> {
  requireBuiltDashboard();
  await mkdir(ARTIFACTS, { recursive: true });
  return startHarness({ ...options, clock: () => clock.now, staticDir: DIST_WEB });
}

describe.skipIf(skipWithoutChromium())("trending on the wall and the dashboard", () => {
  let harness: Harness;
  let announcer: net.Socket;
  const session = new BrowserSession();

  beforeAll(async () => {
    const clock = { now: T0 };
    harness = await servedHarness(clock, {
      windows: [{ kind: "sliding", lengthMs: 60 * SECOND }, { kind: "complete" }],
      trend: { windowMs: 10 * SECOND, baselineMs: 30 * SECOND, threshold: 3, halfLifeMs: 20 * SECOND },
      languages: { kind: "list", codes: ["de", "ja"] },
    });
    // An ingestor that stays connected names the servers the posts come from.
    announcer = net.createConnection(harness.aggregator.intake.port, "127.0.0.1");
    await once(announcer, "connect");
    announcer.write('{"op":"hello","source":"live","instances":["mastodon.example","chaos.example"]}\n');
    await waitUntil(() => harness.aggregator.hello().instances.length === 2, 5000, "the ingestor's hello");
    const step = async (extra = ""): Promise<void> => {
      const usual = ["e1", "e2", "e3", "e4"].map((a) => line("photography", `${a}@x`)).join("");
      await harness.sendLines(usual + line("megadeals", "bot@spam").repeat(20) + extra);
      clock.now += 5 * SECOND;
      harness.aggregator.tick();
    };
    for (let i = 0; i < 6; i++) await step();
    const burst = Array.from({ length: 6 }, (_, i) => line("eclipse", `b${i}@y`)).join("");
    await step(burst);
    const german = `${JSON.stringify({ tags: ["bahnstreik", "kaffee"], acct: "d@de", lang: "de" })}\n${JSON.stringify({ tags: ["bahnstreik"], acct: "e@de", lang: "de" })}\n`;
    await step(burst + german);
  });

  afterAll(async () => {
    announcer?.destroy();
    const errors = await session.close();
    await harness?.close();
    expect(errors).toEqual([]);
  });

  it("shows the burst alone in the wall's Trending now mode, with its reason and accounts", async () => {
    const page = await session.open(`${harness.httpUrl}/wall?by=trend&window=1m`, { viewport: { width: 1920, height: 1080 }, reducedMotion: "reduce" });
    await page.locator('[data-testid="ranked-bars"] li[data-tag="eclipse"]').waitFor(PAGE_WAIT);
    expect(await page.getByTestId("wall-window").textContent()).toBe("Trending now · the last 10 seconds");
    expect(await page.locator('[data-testid="ranked-bars"] li').evaluateAll((rows) => rows.map((row) => row.getAttribute("data-tag")))).toEqual(["eclipse"]);
    expect(await page.getByTestId("trend-reason").allTextContents()).toEqual(["6 accounts in the last 10 seconds, usually 1"]);
    expect(await page.getByTestId("bar-figure").allTextContents()).toEqual(["6 accounts"]);
    // The mirror table has every field: rank, tag, posts, accounts, score, why, change.
    const cells = await page.locator('[data-testid="top-table"] tbody tr td').allTextContents();
    expect(cells.slice(0, 6)).toEqual(["1", "eclipse", "12", "6", "25", "6 accounts in the last 10 seconds, usually 1"]);
    await page.screenshot({ path: `${ARTIFACTS}trending-wall-1920x1080.png` });

    await page.goto(`${harness.httpUrl}/wall?window=1m`);
    await page.locator('[data-testid="ranked-bars"] li[data-rank="1"]').waitFor(PAGE_WAIT);
    const ranked = await page
      .locator('[data-testid="top-table"] tbody tr')
      .evaluateAll((rows) => rows.map((row) => [row.getAttribute("data-tag"), row.getAttribute("data-count"), row.getAttribute("data-accounts")]));
    expect(ranked).toEqual([
      ["megadeals", "160", "1"],
      ["photography", "32", "4"],
      ["eclipse", "12", "6"],
      ["bahnstreik", "2", "2"],
      ["kaffee", "1", "1"],
    ]);
  });

  it("shows one language's top on the wall with lang=, and in the dashboard's language selector", async () => {
    const page = await session.open(`${harness.httpUrl}/wall?lang=de&window=1m`, { viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });
    await page.locator('[data-testid="ranked-bars"] li[data-tag="kaffee"]').waitFor(PAGE_WAIT);
    expect(await page.getByTestId("wall-window").textContent()).toBe("Top 20 · last 1 minute · posts in German");
    const wallRows = await page.locator('[data-testid="top-table"] tbody tr').evaluateAll((rows) => rows.map((row) => [row.getAttribute("data-tag"), row.getAttribute("data-count")]));
    expect(wallRows).toEqual([
      ["bahnstreik", "2"],
      ["kaffee", "1"],
    ]);

    await page.goto(`${harness.httpUrl}/?window=1m`);
    await page.getByTestId("language-selector").waitFor(PAGE_WAIT);
    expect(await page.getByTestId("language-selector").locator("option").allTextContents()).toEqual(["All languages", "German (de)", "Japanese (ja)"]);
    await page.getByTestId("language-selector").selectOption("de");
    const order = (): Promise<Array<string | null>> =>
      page.locator('[data-testid="top-table"] tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute("data-tag")));
    await expect.poll(order).toEqual(["bahnstreik", "kaffee"]);
    await page.getByTestId("language-selector").selectOption("");
    await expect.poll(order).toEqual(["megadeals", "photography", "eclipse", "bahnstreik", "kaffee"]);
  });

  it("switches the dashboard's ranking and shows a tag's detail with links to its servers", async () => {
    const page = await session.open(`${harness.httpUrl}/?window=1m`, { viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
    await page.locator('[data-testid="top-table"] tbody tr[data-tag="megadeals"]').waitFor(PAGE_WAIT);
    const order = (): Promise<Array<string | null>> =>
      page.locator('[data-testid="top-table"] tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute("data-tag")));
    expect(await order()).toEqual(["megadeals", "photography", "eclipse", "bahnstreik", "kaffee"]);
    await page.locator('[data-testid="rank-by-selector"] button[data-by="accounts"]').click();
    await expect.poll(order).toEqual(["eclipse", "photography", "bahnstreik", "kaffee", "megadeals"]);
    await page.locator('[data-testid="rank-by-selector"] button[data-by="trend"]').click();
    await expect.poll(order).toEqual(["eclipse"]);

    // A click on the only bar picks its tag.
    const canvas = page.getByTestId("bar-chart");
    const box = await canvas.boundingBox();
    if (box === null) throw new Error("no chart");
    await canvas.click({ position: { x: box.width * 0.3, y: box.height / 2 } });
    await page.getByTestId("tag-detail-table").waitFor(PAGE_WAIT);
    const rows = await page
      .locator('[data-testid="tag-detail-table"] tbody tr')
      .evaluateAll((trs: Array<{ children: ArrayLike<{ textContent: string | null }> }>) =>
        trs.map((tr) => Array.from(tr.children, (cell) => (cell.textContent ?? "").trim())),
      );
    expect(rows).toEqual([
      ["last 1 minute", "12", "6"],
      ["since start", "12", "6"],
    ]);
    expect(await page.getByTestId("tag-detail-trend").textContent()).toBe("Trend score 25: 6 accounts in the last 10 seconds, usually 1.");
    // eclipse has no language here: none of the kept ones.
    expect(await page.getByTestId("tag-detail-languages").textContent()).toBe("Posts by language (since start): in none of the languages kept");
    const links = await page.locator('[data-testid="tag-detail-links"] a').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toEqual(["https://chaos.example/tags/eclipse", "https://mastodon.example/tags/eclipse"]);

    // Typing a tag shows another one, normalised.
    await page.getByTestId("tag-detail-input").fill("#MegaDeals");
    await page.getByTestId("tag-detail-input").press("Enter");
    await expect.poll(() => page.locator("#tag-detail-heading").textContent()).toBe("#megadeals");
    await expect.poll(() => page.locator('[data-testid="tag-detail-table"] tbody tr[data-window="1m"] td').allTextContents()).toEqual(["160", "1"]);
    await page.getByTestId("tag-detail-input").fill("Kaffee");
    await page.getByTestId("tag-detail-input").press("Enter");
    await expect.poll(() => page.getByTestId("tag-detail-languages").textContent()).toBe("Posts by language (since start): German 1");
    await page.screenshot({ path: `${ARTIFACTS}trending-dashboard-1280x900.png`, fullPage: true });
  });
});

/**
 * "Trending now" on a wall, with the longest reasons a 1 h trend window gives: twelve tags used
 * by two accounts every hour, then bursting by 5 to 16 new accounts. The reasons are read from
 * across the room, so each must be as legible as the tag labels (1/45 of the screen's height: 24 px
 * at 1080p, 48 px at 4K), whole, and inside its own row.
 */
describe.skipIf(skipWithoutChromium())("the wall's Trending now, legible from across the room", () => {
  const HOUR = 3600 * SECOND;
  const TAGS = ["klimaschutzdemonstration", "eclipse", "bahnstreik", "caturday", "写真", "rustlang", "astronomy", "gardening", "histodons", "sourdough", "birds", "chess"];
  let harness: Harness;
  let ingestor: net.Socket;
  const session = new BrowserSession();

  beforeAll(async () => {
    const clock = { now: T0 };
    harness = await servedHarness(clock, {
      windows: [{ kind: "sliding", lengthMs: HOUR }, { kind: "complete" }],
      trend: { windowMs: HOUR, baselineMs: 3 * HOUR, threshold: 3, halfLifeMs: 4 * HOUR },
    });
    ingestor = await harness.connectIngestor('{"op":"hello","source":"live","instances":["mastodon.example"]}\n');
    // Three hours as usual (two accounts a tag an hour), then the burst: tag i gains 16 - i accounts.
    for (let tick = 1; tick <= 25; tick++) {
      const hour = Math.floor((tick - 1) / 6);
      const first = (tick - 1) % 6 === 0;
      if (first && hour < 4) await harness.sendLines(TAGS.flatMap((tag) => ["u1", "u2"].map((a) => line(tag, `${a}@x`))).join(""));
      if (tick === 25) await harness.sendLines(TAGS.flatMap((tag, i) => Array.from({ length: 16 - i }, (_, a) => line(tag, `burst${a}@y`))).join(""));
      clock.now = T0 + tick * 10 * 60 * SECOND;
      harness.aggregator.tick();
    }
  });

  afterAll(async () => {
    ingestor?.destroy();
    const errors = await session.close();
    await harness?.close();
    expect(errors).toEqual([]);
  });

  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    it(`shows ten trending tags at ${width}x${height}, each reason at least 1/45 of the height, whole and inside its row`, async () => {
      const page = await session.open(`${harness.httpUrl}/wall?by=trend`, { viewport: { width, height }, reducedMotion: "reduce" });
      await page.locator('[data-testid="ranked-bars"] li[data-rank="10"]').waitFor(PAGE_WAIT);
      const rows = await wallRows(page);
      expect(rows.map((r) => r.tag)).toEqual(TAGS.slice(0, 10));
      expect(rows[0]?.reason?.text).toBe("16 accounts in the last hour, usually 2");
      expect(rows[9]?.reason?.text).toBe("7 accounts in the last hour, usually 2");
      for (const row of rows) {
        expect(row.reason?.px, `${row.tag}: reason ${row.reason?.px} px`).toBeGreaterThanOrEqual(height / 45);
        expect(row.labelPx, `${row.tag}: label ${row.labelPx} px`).toBeGreaterThanOrEqual(height / 45);
        expect(row.reason?.fits, `${row.tag}: reason cut off`).toBe(true);
        expect(row.reason?.inside, `${row.tag}: reason outside its row`).toBe(true);
        expect(row.figureClear, `${row.tag}: its accounts run into the sparkline`).toBe(true);
      }
      await page.screenshot({ path: `${ARTIFACTS}trending-wall-reasons-${width}x${height}.png` });
    });
  }
});
