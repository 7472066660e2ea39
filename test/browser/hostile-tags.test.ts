/**
 * Tag names that would be markup or script if a page ever interpreted them, shown by the built
 * dashboard and wall in a real Chromium. Two ways in:
 * - through the real TCP intake, where normalisation already strips `<`, `>`, quotes and the like,
 *   so what reaches the screen is the normalised name, as text;
 * - at the wire, from a scripted feed behind the real app, with the names untouched (as a buggy
 *   or hostile server could send them): each must appear literally, and nothing may run.
 * "Nothing runs" is checked four ways against the page as it was before the names arrived: no
 * element or event-handler attribute was added, no dialog opened, no marker global was set, and the
 * Content-Security-Policy had nothing new to block. (Before any data, the CSP already blocks one
 * thing: zod's feature probe `new Function("")`, after which zod validates without generated code.)
 */
import net from "node:net";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../server/http/app.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { BrowserSession, DIST_WEB, PAGE_WAIT, requireBuiltDashboard } from "./browser-session.ts";
import { skipWithoutChromium } from "./chromium.ts";
import { wallRows } from "./page-probes.ts";
import { scriptedFeed } from "./scripted-feed.ts";

/** Each would set `window.__pwned` if it ran, in the page or in a frame of it. */
const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  "<script>window.__pwned=2</script>",
  '<svg onload="window.__pwned=3"></svg>',
  '"><iframe srcdoc="<script>parent.__pwned=4</script>">',
  "javascript:window.__pwned=5",
  "{{constructor.constructor('window.__pwned=6')()}}",
  "<b>bold</b>&amp;&lt;i&gt;",
];

/**
 * Installed before the page's own scripts: counts elements the app never makes and event-handler
 * attributes, watches for CSP violations, and remembers every dialog.
 */
const WATCH = `(() => {
  const seen = { elements: [], handlers: [], violations: [] };
  window.__watch = seen;
  const note = (node) => {
    if (node.nodeType !== 1) return;
    for (const element of [node, ...node.querySelectorAll("*")]) {
      if (["IMG", "SCRIPT", "IFRAME", "OBJECT", "EMBED", "B", "I"].includes(element.tagName)) seen.elements.push(element.tagName);
      for (const attribute of element.getAttributeNames()) if (attribute.startsWith("on")) seen.handlers.push(attribute);
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      record.addedNodes.forEach(note);
      if (record.type === "attributes" && record.attributeName?.startsWith("on")) seen.handlers.push(record.attributeName);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener("securitypolicyviolation", (event) => seen.violations.push(event.violatedDirective + " " + event.blockedURI));
  for (const name of ["alert", "confirm", "prompt"]) window[name] = () => { seen.elements.push(name); };
})();`;

interface Watched {
  elements: string[];
  handlers: string[];
  violations: string[];
  pwned: unknown;
  dialogs: number;
}

const skip = skipWithoutChromium();

describe.skipIf(skip)("hostile tag names", () => {
  const session = new BrowserSession();
  let app: FastifyInstance | undefined;
  let harness: Harness | undefined;
  let dialogs = 0;

  beforeAll(requireBuiltDashboard);

  afterEach(async () => {
    const errors = await session.close();
    await app?.close();
    await harness?.close();
    app = undefined;
    harness = undefined;
    dialogs = 0;
    expect(errors).toEqual([]);
  });

  const watched = async (page: Page): Promise<Watched> => ({
    ...(await page.evaluate<Omit<Watched, "pwned" | "dialogs">>("window.__watch")),
    pwned: await page.evaluate<unknown>("window.__pwned"),
    dialogs,
  });

  /** The page at `url`, watched from its first byte; resolves once it shows live data, with what was seen by then. */
  async function open(url: string): Promise<{ page: Page; before: Watched }> {
    const page = await session.open("about:blank", { viewport: { width: 1920, height: 1080 } });
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await page.addInitScript(WATCH);
    await page.goto(url);
    await expect.poll(() => page.getByTestId("freshness").getAttribute("data-level"), PAGE_WAIT).toBe("live");
    const before = await watched(page);
    expect(before).toMatchObject({ handlers: [], pwned: undefined, dialogs: 0 });
    expect(before.elements.filter((name) => name !== "SCRIPT")).toEqual([]);
    return { page, before };
  }

  const tableTags = (page: Page): Promise<string[]> => page.getByTestId("top-table").locator("tbody td:nth-child(2)").allTextContents();

  it("shows hostile names sent through the intake as their normalised text", async () => {
    harness = await startHarness({ staticDir: DIST_WEB, windows: [{ kind: "complete" }] });
    // A connected ingestor, so that the page is "live" rather than waiting for a source.
    await harness.connectIngestor();
    harness.aggregator.tick();
    const { page, before } = await open(harness.httpUrl);
    await harness.sendLines(HOSTILE.map((tag, i) => `${JSON.stringify({ tags: Array(HOSTILE.length - i).fill(tag) })}\n`).join(""));
    harness.aggregator.tick();
    const expected = [
      "imgsrcxonerrorwindow__pwned1",
      "scriptwindow__pwned2script",
      "svgonloadwindow__pwned3svg",
      "iframesrcdocscriptparent__pwned4script",
      "javascriptwindow__pwned5",
      "constructorconstructorwindow__pwned6",
      "bboldbampltigt",
    ];
    await expect.poll(() => tableTags(page), PAGE_WAIT).toEqual(expected);
    expect(await watched(page)).toEqual(before);
  });

  it.each([
    { view: "dashboard", path: "/" },
    { view: "wall", path: "/wall" },
  ])("shows names pushed at the wire literally, and runs none of them: $view", async ({ path }) => {
    const feed = scriptedFeed({ triggerMs: 1000, topN: 20 });
    app = await buildApp({ feed, log: silentLogger, staticDir: DIST_WEB });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { page, before } = await open(`http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}${path}`);
    feed.push(
      1,
      HOSTILE.map((tag, index) => ({ tag, count: 100 - index, rank: index + 1, history: [90 - index, 100 - index] })),
    );
    await expect.poll(() => tableTags(page), PAGE_WAIT).toEqual(HOSTILE);
    if (path === "/wall") expect((await wallRows(page)).map((row) => row.label)).toEqual(HOSTILE.map((tag) => `#${tag}`));
    // The next snapshot moves them around: re-rendered rows stay text too.
    feed.push(2, [...HOSTILE].reverse().map((tag, index) => ({ tag, count: 100 - index, rank: index + 1, history: [100 - index] })));
    await expect.poll(() => tableTags(page), PAGE_WAIT).toEqual([...HOSTILE].reverse());
    expect(await watched(page)).toEqual(before);
  });
});
