/**
 * The built dashboard in a real Chromium against the real aggregator: hashtag lines go in over TCP,
 * snapshots come out over the WebSocket, and the test reads what the page shows — the accessible
 * table, the stats, the window selector, and the chart's own canvas pixels.
 *
 * Needs `npm run build` first (`npm test` does it). Prefers-reduced-motion is emulated, which turns
 * the chart's animation off, so every pixel read sees the final bars.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";
import { launchChromium, skipWithoutChromium, type LaunchedChromium } from "./chromium.ts";

const DIST_WEB = fileURLToPath(new URL("../../dist/web", import.meta.url));
const SCREENSHOT = fileURLToPath(new URL("../../test-artifacts/dashboard-1280x800.png", import.meta.url));
const VIEWPORT = { width: 1280, height: 800 };

type Ranked = readonly [tag: string, count: number];

/** What the first batch sends, in rank order: 25 distinct tags with 25 distinct counts. */
const FIRST_BATCH: readonly Ranked[] = [
  ["t01", 25], ["t02", 24], ["t03", 23], ["t04", 22], ["t05", 21], ["t06", 20], ["t07", 19],
  ["t08", 18], ["t09", 17], ["t10", 16], ["t11", 15], ["t12", 14], ["cafe", 13], ["t14", 12],
  ["t15", 11], ["t16", 10], ["t17", 9], ["t18", 8], ["t19", 7], ["t20", 6], ["t21", 5],
  ["t22", 4], ["t23", 3], ["t24", 2], ["t25", 1],
];

/** Top 20 after the first batch: ranks 21-25 (t21..t25) fall off. */
const FIRST_TOP: readonly Ranked[] = [
  ["t01", 25], ["t02", 24], ["t03", 23], ["t04", 22], ["t05", 21], ["t06", 20], ["t07", 19],
  ["t08", 18], ["t09", 17], ["t10", 16], ["t11", 15], ["t12", 14], ["cafe", 13], ["t14", 12],
  ["t15", 11], ["t16", 10], ["t17", 9], ["t18", 8], ["t19", 7], ["t20", 6],
];

/**
 * Top 20 after the second batch (1000 × t25, 12 × cafe): t25 leads with 1001; cafe ties t01 at 25
 * and comes first because ties rank by tag; t20 (6) drops out.
 */
const SECOND_TOP: readonly Ranked[] = [
  ["t25", 1001], ["cafe", 25], ["t01", 25], ["t02", 24], ["t03", 23], ["t04", 22], ["t05", 21],
  ["t06", 20], ["t07", 19], ["t08", 18], ["t09", 17], ["t10", 16], ["t11", 15], ["t12", 14],
  ["t14", 12], ["t15", 11], ["t16", 10], ["t17", 9], ["t18", 8], ["t19", 7],
];

/** Spellings that Mastodon's normaliser all names `cafe`: case, accent, a combining accent. */
const CAFE_SPELLINGS = ["#Café", "#CAFÉ", "café", "#Cafe\u0301"];

/** Alternates the two line forms: odd lines plain with `#`, even lines JSON with bare names. */
function postLine(index: number, tags: readonly string[]): string {
  return index % 2 === 1
    ? `${tags.map((tag) => (tag.startsWith("#") ? tag : `#${tag}`)).join(" ")}\n`
    : `${JSON.stringify({ tags, ts: 1_700_000_000_000 + index, id: `https://example.test/s/${index}` })}\n`;
}

/**
 * Line j (1..25) carries every tag whose count is at least j, so each tag appears exactly `count`
 * times: 25 lines, 325 tag occurrences. Plus one blank line and one malformed line (rejected).
 */
function firstBatch(): string {
  let out = "\n{broken\n";
  for (let line = 1; line <= 25; line++) {
    const tags = FIRST_BATCH.filter(([, count]) => count >= line).map(([tag]) =>
      tag === "cafe" ? (CAFE_SPELLINGS[line % CAFE_SPELLINGS.length] ?? "cafe") : tag,
    );
    out += postLine(line, tags);
  }
  return out;
}

/**
 * 1000 lines of `t25`, the first 12 also carrying a `cafe`: 1000 lines, 1012 occurrences. Numbered
 * on from 1000, so that no JSON line repeats a post id of the first batch (a repeated id replaces).
 */
function secondBatch(): string {
  let out = "";
  for (let line = 0; line < 1000; line++) {
    const tags = line < 12 ? ["T25", CAFE_SPELLINGS[line % CAFE_SPELLINGS.length] ?? "cafe"] : ["t25"];
    out += postLine(1000 + line, tags);
  }
  return out;
}

interface TableRow {
  tag: string | undefined;
  rank: number;
  count: number;
  cells: string[];
}

/*
 * The root tsconfig has no DOM library (it types server code), so the functions that run in the
 * page name only the few DOM members they touch.
 */
interface RowElement {
  readonly dataset: Readonly<Record<string, string | undefined>>;
  querySelectorAll(selector: "td"): ArrayLike<{ readonly textContent: string | null }>;
}

interface ChartCanvas {
  readonly width: number;
  readonly height: number;
  readonly clientWidth: number;
  getContext(id: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

async function tableRows(page: Page): Promise<TableRow[]> {
  return page.$$eval('[data-testid="top-table"] tbody tr', (rows: RowElement[]) =>
    rows.map((row) => ({
      tag: row.dataset.tag,
      rank: Number(row.dataset.rank),
      count: Number(row.dataset.count),
      cells: Array.from(row.querySelectorAll("td"), (cell) => (cell.textContent ?? "").trim()),
    })),
  );
}

/**
 * The rows a ranking must produce: data attributes and visible cells agree. The last cell is the
 * move since `previous` ("up 2", "down 1", "new"), empty without a previous ranking to compare.
 */
function rowsOf(ranking: readonly Ranked[], previous?: readonly Ranked[]): TableRow[] {
  const before = new Map(previous?.map(([tag], index) => [tag, index + 1]));
  const change = (tag: string, rank: number): string => {
    if (previous === undefined) return "";
    const was = before.get(tag);
    if (was === undefined) return "new";
    return was === rank ? "" : was > rank ? `up ${was - rank}` : `down ${rank - was}`;
  };
  return ranking.map(([tag, count], index) => ({
    tag,
    rank: index + 1,
    count,
    // These lines carry no author: no accounts; this server scores no trends: no score.
    cells: [String(index + 1), tag, String(count), "0", "", change(tag, index + 1)],
  }));
}

async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? "").trim();
}

async function statsOf(page: Page): Promise<Record<string, string>> {
  const keys = ["lines", "tags", "distinct", "rejected"] as const;
  const values = await Promise.all(keys.map((key) => textOf(page, `stat-${key}`)));
  return Object.fromEntries(keys.map((key, index) => [key, values[index] ?? ""]));
}

/** What the chart's canvas holds, in device pixels (the backing store, whatever the pixel ratio). */
interface CanvasScan {
  devicePixelRatio: number;
  /** Leftmost column holding any bar pixel: where the bars start (the value 0). */
  left: number;
  /** Runs of bar pixels down the column a few px right of `left`, top to bottom. */
  bars: Array<{ top: number; bottom: number; length: number; labelInk: number }>;
}

/**
 * Runs in the page. A bar pixel is opaque, clearly blue and saturated: the bars blend #38bdf8 into
 * #818cf8, while the canvas background is transparent, grid lines are 14 % alpha grey, and labels
 * are near-white (#e5ebf5) or near-black (#07101e). `length` is measured on each bar's middle row
 * out to its rightmost bar pixel, so a value label drawn inside the bar does not cut it short.
 * `labelInk` counts light, opaque pixels left of the bars in that bar's rows: its y-axis label.
 */
function scanChartCanvas(canvas: ChartCanvas): CanvasScan {
  const { width, height } = canvas;
  // chart.js sizes the backing store to CSS size × devicePixelRatio.
  const dpr = width / canvas.clientWidth;
  const context = canvas.getContext("2d");
  if (context === null) throw new Error("bar-chart canvas has no 2D context");
  const data = context.getImageData(0, 0, width, height).data;
  const at = (x: number, y: number): number => (y * width + x) * 4;
  const isBar = (x: number, y: number): boolean => {
    const i = at(x, y);
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    const a = data[i + 3] ?? 0;
    return a >= 128 && b >= 180 && b - Math.min(r, g) >= 80;
  };
  const isInk = (x: number, y: number): boolean => {
    const i = at(x, y);
    const luminance = 0.2126 * (data[i] ?? 0) + 0.7152 * (data[i + 1] ?? 0) + 0.0722 * (data[i + 2] ?? 0);
    return (data[i + 3] ?? 0) >= 128 && luminance >= 128;
  };

  let left = -1;
  for (let x = 0; x < width && left < 0; x++) {
    for (let y = 0; y < height; y++) {
      if (isBar(x, y)) {
        left = x;
        break;
      }
    }
  }
  const bars: CanvasScan["bars"] = [];
  if (left < 0) return { devicePixelRatio: dpr, left, bars };

  const column = Math.min(width - 1, left + Math.round(3 * dpr));
  let top = -1;
  for (let y = 0; y <= height; y++) {
    const bar = y < height && isBar(column, y);
    if (bar && top < 0) top = y;
    if (!bar && top >= 0) {
      const bottom = y - 1;
      const middle = Math.floor((top + bottom) / 2);
      let right = width - 1;
      while (right > left && !isBar(right, middle)) right--;
      let labelInk = 0;
      for (let row = top; row <= bottom; row++) {
        for (let x = 0; x < left - Math.round(4 * dpr); x++) if (isInk(x, row)) labelInk++;
      }
      bars.push({ top, bottom, length: right - left + 1, labelInk });
      top = -1;
    }
  }
  return { devicePixelRatio: dpr, left, bars };
}

async function scanChart(page: Page): Promise<CanvasScan> {
  return page.getByTestId("bar-chart").evaluate(scanChartCanvas);
}

/**
 * Asserts the canvas shows one bar per ranked tag, top to bottom, each as long as its count says
 * (bars start at zero, so length / count is the same for every bar), each with a y-axis label.
 */
async function expectBarsFor(page: Page, ranking: readonly Ranked[]): Promise<void> {
  // The chart redraws in the frame after the data changes (and again if its box is resized).
  await expect.poll(async () => (await scanChart(page)).bars.length, { timeout: 5000 }).toBe(ranking.length);
  const scan = await scanChart(page);
  const [, topCount] = ranking[0] ?? ["", 1];
  const topLength = scan.bars[0]?.length ?? 0;
  const tolerance = 2 * scan.devicePixelRatio + 1;

  expect(scan.left).toBeGreaterThan(20 * scan.devicePixelRatio);
  scan.bars.forEach((bar, index) => {
    const [tag, count] = ranking[index] ?? ["", 0];
    const where = `bar ${index + 1} (#${tag} × ${count})`;
    expect(bar.bottom - bar.top + 1, `${where} thickness`).toBeGreaterThanOrEqual(8 * scan.devicePixelRatio);
    expect(Math.abs(bar.length - (topLength * count) / topCount), `${where} length ${bar.length}`).toBeLessThanOrEqual(
      tolerance,
    );
    expect(bar.labelInk, `${where} y-axis label ink`).toBeGreaterThan(10);
  });
}

const skip = skipWithoutChromium();

describe.skipIf(skip)("dashboard in Chromium, 1280×800", () => {
  let harness: Harness | undefined;
  let harnessRunning = false;
  let browser: LaunchedChromium | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(`${DIST_WEB}/index.html`)) {
      throw new Error(`${DIST_WEB}/index.html is missing: run npm run build`);
    }
    harness = await startHarness({ staticDir: DIST_WEB, autoTick: false });
    harnessRunning = true;
    // An ingestor stays connected, so the dashboard is fed ("Live"), as in production.
    await harness.connectIngestor();
    await harness.sendLines(firstBatch());
    harness.aggregator.tick();

    browser = await launchChromium({ viewport: VIEWPORT, reducedMotion: "reduce" });
    page = browser.page;
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(harness.httpUrl);
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      if (harnessRunning) await harness?.close();
    }
  });

  it("lists the top 20 of what was sent, in rank order, with exact counts and stats", async () => {
    await expect.poll(() => page.getByTestId("connection-state").getAttribute("data-state"), { timeout: 5000 }).toBe("open");
    await expect.poll(() => textOf(page, "epoch"), { timeout: 5000 }).toBe("1");
    expect(await tableRows(page)).toEqual(rowsOf(FIRST_TOP));
    expect(await textOf(page, "connection-state")).toBe("Live");
    expect(await page.getByTestId("last-update").getAttribute("datetime")).toBe(
      harness?.aggregator.latest().snapshot.at,
    );
    expect(await statsOf(page)).toEqual({ lines: "25", tags: "325", distinct: "25", rejected: "1" });
    expect(await page.locator("#ranking-heading").textContent()).toBe("Top 20 hashtags, last 15 minutes");
    expect(await page.getByTestId("demo-banner").count()).toBe(0);
    expect(await page.getByTestId("empty-state").count()).toBe(0);
  });

  it("draws 20 labelled bars on the canvas, as long as their counts", async () => {
    await expectBarsFor(page, FIRST_TOP);
  });

  it("offers the server's windows and shows the same ranking in `complete`", async () => {
    const buttons = page.getByTestId("window-selector").locator("button");
    const offered = async () =>
      buttons.evaluateAll((all) =>
        all.map((b) => [b.getAttribute("data-window"), b.getAttribute("aria-pressed"), b.textContent?.trim()]),
      );
    expect(await offered()).toEqual([
      ["15m", "true", "last 15 minutes"],
      ["complete", "false", "since start"],
    ]);

    await page.locator('[data-testid="window-selector"] button[data-window="complete"]').click();
    await expect.poll(offered).toEqual([
      ["15m", "false", "last 15 minutes"],
      ["complete", "true", "since start"],
    ]);
    expect(await page.locator("#ranking-heading").textContent()).toBe("Top 20 hashtags, since start");
    expect(await tableRows(page)).toEqual(rowsOf(FIRST_TOP));
  });

  it("updates in place on the next snapshot: epoch 2, new ranking, new bars, no reload", async () => {
    // Survives only if the page is not reloaded.
    await page.evaluate(() => Object.assign(globalThis, { tagstreamSamePage: true }));
    await harness?.sendLines(secondBatch());
    harness?.aggregator.tick();

    await expect.poll(() => textOf(page, "epoch"), { timeout: 5000 }).toBe("2");
    expect(await tableRows(page)).toEqual(rowsOf(SECOND_TOP, FIRST_TOP));
    expect(await statsOf(page)).toEqual({ lines: "1,025", tags: "1,337", distinct: "25", rejected: "1" });
    expect(await page.evaluate(() => (globalThis as { tagstreamSamePage?: boolean }).tagstreamSamePage)).toBe(true);
    await expectBarsFor(page, SECOND_TOP);

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it("shows the connection leaving `open` when the server stops, keeping the last ranking", async () => {
    harnessRunning = false;
    await harness?.close();

    await expect.poll(() => page.getByTestId("connection-state").getAttribute("data-state"), { timeout: 5000 }).toBe(
      "reconnecting",
    );
    expect(await textOf(page, "connection-state")).toBe("Offline, reconnecting");
    expect(await textOf(page, "stale-note")).toBe("Connection lost: showing the last ranking received.");
    expect(await tableRows(page)).toEqual(rowsOf(SECOND_TOP, FIRST_TOP));
    expect(pageErrors).toEqual([]);
  });
});
