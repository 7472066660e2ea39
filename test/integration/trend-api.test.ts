/**
 * The trend through the real intake and HTTP: JSON lines with authors over a virtual clock, then
 * `/api/top?by=trend`, `/api/tags/:tag` and the `hello` that tells screens the trend's settings.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const line = (tag: string, acct: string): string => `${JSON.stringify({ tags: [tag], acct })}\n`;

describe("languages over the wire", () => {
  it("serves each kept language's top on /api/top?lang=, lists them in the snapshot, and refuses the others", async () => {
    harness = await startHarness({ languages: { kind: "auto", busiest: 2 } });
    const h = harness;
    const post = (tags: string[], lang?: string): string => `${JSON.stringify({ tags, acct: "a@x", ...(lang !== undefined && { lang }) })}\n`;
    await h.sendLines(post(["bahn"], "de") + post(["bahn", "kaffee"], "de") + post(["coffee"], "en") + post(["ohne"]) + post(["ohne"]) + post(["ohne"]));
    h.aggregator.tick();
    const get = async (query: string): Promise<{ status: number; body: unknown }> => {
      const response = await fetch(`${h.httpUrl}/api/top?${query}`);
      return { status: response.status, body: await response.json() };
    };
    expect(h.aggregator.latest().snapshot.languages).toEqual(["und", "de"]);
    expect((await get("lang=de")).body).toMatchObject({ window: "15m", lang: "de", top: [{ tag: "bahn", count: 2, rank: 1 }, { tag: "kaffee", count: 1, rank: 2 }] });
    // und overtook en at its second post and is counted from then on.
    expect((await get("lang=und&window=complete")).body).toMatchObject({ lang: "und", top: [{ tag: "ohne", count: 2 }] });
    expect(await (await fetch(`${h.httpUrl}/api/tags/bahn`)).json()).toMatchObject({ languages: { de: { "15m": 2, complete: 2 } } });
    expect(await get("lang=en")).toEqual({ status: 404, body: { error: 'language "en" is not kept; kept: und, de (LANGUAGES)' } });
    expect(await get("lang=de&by=trend")).toEqual({ status: 400, body: { error: "lang ranks by posts only: drop by or use by=posts" } });
  });
});

describe("trend over the wire", () => {
  it("ranks the burst first by trend, demotes the spam by accounts, and shows both by posts", async () => {
    let now = T0;
    harness = await startHarness({
      windows: [{ kind: "sliding", lengthMs: 60 * SECOND }, { kind: "complete" }],
      clock: () => now,
      trend: { windowMs: 10 * SECOND, baselineMs: 30 * SECOND, threshold: 3, halfLifeMs: 20 * SECOND },
    });
    const h = harness;
    const step = async (extra = ""): Promise<void> => {
      const usual = ["e1", "e2", "e3", "e4"].map((a) => line("photography", `${a}@x`)).join("");
      await h.sendLines(usual + line("buynow", "bot@spam").repeat(20) + extra);
      now += 5 * SECOND;
      h.aggregator.tick();
    };
    for (let i = 0; i < 6; i++) await step();
    const burst = Array.from({ length: 6 }, (_, i) => line("eclipse", `b${i}@y`)).join("");
    await step(burst);
    await step(burst);

    const get = async (path: string): Promise<unknown> => (await fetch(`${h.httpUrl}${path}`)).json();
    const tags = (body: unknown): string[] => (body as { top: Array<{ tag: string }> }).top.map((e) => e.tag);
    expect(await get("/api/top?window=1m&by=trend")).toMatchObject({
      by: "trend",
      top: [{ tag: "eclipse", count: 12, accounts: 6, score: 25, observed: 6, expected: 1, rank: 1 }],
    });
    expect(tags(await get("/api/top?window=1m&by=posts&n=3"))).toEqual(["buynow", "photography", "eclipse"]);
    expect(tags(await get("/api/top?window=1m&by=accounts&n=3"))).toEqual(["eclipse", "photography", "buynow"]);
    expect(await get("/api/tags/Eclipse")).toEqual({
      tag: "eclipse",
      windows: { "1m": 12, complete: 12 },
      accounts: { "1m": 6, complete: 6 },
      trend: { score: 25, observed: 6, expected: 1 },
    });
    expect(h.aggregator.hello().trend).toEqual({ window: "10s", baseline: "30s", threshold: 3, halfLife: "20s" });
    expect(h.aggregator.latest().snapshot.windows[0]?.byTrend?.map((e) => e.tag)).toEqual(["eclipse"]);
  });
});
