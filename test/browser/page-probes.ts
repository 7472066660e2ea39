/**
 * What the browser tests read from a page: the wall's rows as drawn, text contrast as WCAG measures
 * it, and Chromium's own counts of DOM nodes, listeners and heap.
 *
 * The root tsconfig has no DOM library (it types server code), so the functions that run in the
 * page name only the few DOM members they touch, through the interfaces below.
 */
import type { CDPSession, Locator, Page } from "playwright-core";

interface Box {
  readonly width: number;
  readonly height: number;
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

interface PageElement {
  readonly dataset: Readonly<Record<string, string | undefined>>;
  readonly textContent: string | null;
  readonly parentElement: PageElement | null;
  readonly childNodes: ArrayLike<{ readonly nodeType: number; readonly textContent: string | null }>;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  querySelector(selector: string): PageElement | null;
  getBoundingClientRect(): Box;
  closest(selector: string): PageElement | null;
  matches(selector: string): boolean;
}

interface PageStyle {
  readonly cursor: string;
  readonly transitionDuration: string;
  readonly color: string;
  readonly backgroundColor: string;
  readonly backgroundImage: string;
  readonly fontSize: string;
  readonly fontWeight: string;
  readonly opacity: string;
  readonly visibility: string;
  readonly display: string;
}

interface PageWindow {
  getComputedStyle(element: PageElement): PageStyle;
  readonly document: { readonly body: PageElement; querySelectorAll(selector: string): ArrayLike<PageElement> };
}

/** A computed style property of the element a locator points at. */
export async function styleOf(locator: Locator, property: keyof PageStyle): Promise<string> {
  return locator.evaluate(
    (element, name) => (globalThis as unknown as PageWindow).getComputedStyle(element as unknown as PageElement)[name],
    property,
  );
}

/** `<html data-theme>`: the colour scheme the page resolved. */
export async function documentTheme(page: Page): Promise<string | undefined> {
  return page.evaluate<string | undefined>("document.documentElement.dataset.theme");
}

/** True when the page fits the viewport without scrolling. */
export async function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate<boolean>("document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth");
}

/** One row of the wall's ranked bars, as the page lays it out. */
export interface WallRow {
  tag: string | undefined;
  rank: number;
  count: number;
  label: string;
  /** Computed font size of the tag label, in CSS px. */
  labelPx: number;
  /** True when the label fits its box without being cut (no ellipsis). */
  labelFits: boolean;
  movement: string | undefined;
  places: number;
  barWidth: number;
  top: number;
  height: number;
  /** True when the figure after the bar ends before the sparkline begins. */
  figureClear: boolean;
  /** A trend ranking's reason line: its text, font size, whether it is whole, and whether it lies inside its row. */
  reason?: { text: string; px: number; fits: boolean; inside: boolean };
}

/** The wall's rows in rank order (the DOM keeps them in tag order: see RankedBars). */
export async function wallRows(page: Page): Promise<WallRow[]> {
  const rows = await page.$$eval('[data-testid="ranked-bars"] > li', (items: PageElement[]) =>
    items.map((row) => {
      const label = row.querySelector('[data-testid="bar-label"]');
      const move = row.querySelector('[data-testid="movement"]');
      const bar = row.querySelector(".bar");
      const box = row.getBoundingClientRect();
      const style = label === null ? undefined : (globalThis as unknown as PageWindow).getComputedStyle(label);
      const figure = row.querySelector('[data-testid="bar-figure"]')?.getBoundingClientRect();
      const spark = row.querySelector(".spark")?.getBoundingClientRect();
      const reason = row.querySelector('[data-testid="trend-reason"]');
      const reasonBox = reason?.getBoundingClientRect();
      return {
        tag: row.dataset.tag,
        rank: Number(row.dataset.rank),
        count: Number(row.dataset.count),
        label: (label?.textContent ?? "").trim(),
        labelPx: Number.parseFloat(style?.fontSize ?? "0"),
        labelFits: label !== null && label.scrollWidth <= label.clientWidth,
        movement: move?.dataset.movement,
        places: Number(move?.dataset.places ?? 0),
        barWidth: bar?.getBoundingClientRect().width ?? 0,
        top: box.top,
        height: box.height,
        figureClear: figure === undefined || spark === undefined || figure.right <= spark.left,
        ...(reason !== null &&
          reasonBox !== undefined && {
            reason: {
              text: (reason.textContent ?? "").trim(),
              px: Number.parseFloat((globalThis as unknown as PageWindow).getComputedStyle(reason).fontSize),
              fits: reason.scrollWidth <= reason.clientWidth,
              inside: reasonBox.top >= box.top - 0.5 && reasonBox.bottom <= box.bottom + 0.5,
            },
          }),
      };
    }),
  );
  return rows.sort((a, b) => a.rank - b.rank);
}

/** A text that fails WCAG AA contrast against what is behind it. */
export interface ContrastFailure {
  text: string;
  ratio: number;
  required: number;
  color: string;
  background: string;
}

/**
 * Runs in the page: every visible element with its own text, its colour against the first opaque
 * background behind it (semi-transparent layers composited on the way), and the WCAG 2.x ratio it
 * needs: 4.5, or 3 for large text (24 px, or 18.66 px bold). Elements over a background image with
 * no colour of their own (the demo banner's stripes) are skipped: their backdrop is not one colour.
 */
function findContrastFailures(): ContrastFailure[] {
  const view = globalThis as unknown as PageWindow;
  type Rgba = [number, number, number, number];
  const parse = (text: string): Rgba | undefined => {
    const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(text);
    if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
    const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(text);
    if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
    return undefined;
  };
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3] + below[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: 0 | 1 | 2): number => (top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = ([r, g, b]: Rgba): number => {
    const channel = (c: number): number => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const backdrop = (element: PageElement): Rgba | undefined => {
    const layers: Rgba[] = [];
    for (let at: PageElement | null = element; at !== null; at = at.parentElement) {
      const style = view.getComputedStyle(at);
      const color = parse(style.backgroundColor);
      if (color !== undefined && color[3] > 0) {
        layers.push(color);
        if (color[3] >= 1) break;
      } else if (style.backgroundImage !== "none") {
        return undefined;
      }
    }
    let result: Rgba = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };

  const failures: ContrastFailure[] = [];
  for (const element of Array.from(view.document.querySelectorAll("body *"))) {
    const own = Array.from(element.childNodes)
      .filter((node) => node.nodeType === 3)
      .map((node) => node.textContent ?? "")
      .join("")
      .trim();
    if (own === "" || element.closest(".visually-hidden") !== null || element.matches(":disabled, :disabled *")) continue;
    const box = element.getBoundingClientRect();
    const style = view.getComputedStyle(element);
    if (box.width < 2 || box.height < 2 || style.visibility === "hidden" || style.display === "none") continue;
    const background = backdrop(element);
    const foreground = parse(style.color);
    if (background === undefined || foreground === undefined) continue;
    const text = over(foreground, background);
    const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a) as [number, number];
    const ratio = (light + 0.05) / (dark + 0.05);
    const px = Number.parseFloat(style.fontSize);
    const large = px >= 24 || (px >= 18.66 && Number(style.fontWeight) >= 700);
    const required = large ? 3 : 4.5;
    if (ratio < required) {
      failures.push({ text: own.slice(0, 40), ratio: Math.round(ratio * 100) / 100, required, color: style.color, background: style.backgroundColor });
    }
  }
  return failures;
}

export async function contrastFailures(page: Page): Promise<ContrastFailure[]> {
  return page.evaluate(findContrastFailures);
}

export interface PageCosts {
  nodes: number;
  listeners: number;
  heapBytes: number;
}

/** Chromium's counts after a full garbage collection, so only what is still referenced counts. */
export async function pageCosts(cdp: CDPSession): Promise<PageCosts> {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { nodes: metric("Nodes"), listeners: metric("JSEventListeners"), heapBytes: metric("JSHeapUsedSize") };
}
