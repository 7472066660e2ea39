/**
 * The configured filters end to end: each left-out post is counted by reason, the figures reach
 * the aggregator's snapshot, and only the posts that pass are counted.
 */
import { describe, expect, it } from "vitest";
import { NO_FILTERS } from "../../server/config/post-filters.ts";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import { countsIn, harness, ingestor, simulatedMastodon, tickUntil, waitUntil } from "./ingest-fixture.ts";

describe("filters", () => {
  it("leaves out each kind of post by its reason and counts the rest", async () => {
    const h = await harness();
    const server = await simulatedMastodon({ domain: "home.example" });
    const ing = await ingestor([server], h.aggregator.intake.port, {
      statsEveryMs: 50,
      filters: {
        ...NO_FILTERS,
        languages: ["en", "de"],
        blockedTags: ["nsfw"],
        blockedTagPatterns: ["*porn*"],
        blockedAccounts: ["spammer@home.example"],
        blockedInstances: ["bad.example"],
        skipSensitive: true,
        skipBots: true,
      },
    });
    const posts = [
      craftStatus({ id: "1", acct: "ann@ok.example", tags: ["kept"], language: "en" }),
      craftStatus({ id: "2", acct: "bea@ok.example", tags: ["kept", "also"], language: "de" }),
      craftStatus({ id: "3", acct: "cai@ok.example", tags: ["kept"], language: null }),
      craftStatus({ id: "4", acct: "dan@ok.example", tags: ["lang"], language: "fr" }),
      craftStatus({ id: "5", acct: "eve@ok.example", tags: ["art", "NSFW"] }),
      craftStatus({ id: "6", acct: "fay@ok.example", tags: ["FoodPorn"] }),
      craftStatus({ id: "7", acct: "spammer", tags: ["buy"] }),
      craftStatus({ id: "8", acct: "gus@social.bad.example", tags: ["bad"] }),
      craftStatus({ id: "9", acct: "hal@ok.example", tags: ["cw"], sensitive: true, spoilerText: "spoilers" }),
      craftStatus({ id: "10", acct: "ivy@ok.example", tags: ["beep"], bot: true }),
    ];
    for (const status of posts) server.publish({ event: "update", status });
    await waitUntil(() => ing.stats.statuses === posts.length);

    const snapshot = await tickUntil(h, (s) => s.stats.lines === 3 && s.ingest?.statuses === posts.length);
    expect(countsIn(snapshot)).toEqual({ kept: 3, also: 1 });
    const filtered = { language: 1, tag: 2, account: 1, instance: 1, sensitive: 1, bot: 1 };
    expect(ing.report().filtered).toEqual(filtered);
    expect(snapshot.ingest).toMatchObject({ statuses: 10, forwarded: 3, filtered });
  });

  it("takes a post's tags back when an edit makes it fail a filter", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    await ingestor([server], h.aggregator.intake.port, { filters: { ...NO_FILTERS, blockedTags: ["spoiler"] } });
    server.publish({ event: "update", status: craftStatus({ id: "1", acct: "ann@ok.example", tags: ["film"] }) });
    await tickUntil(h, (s) => countsIn(s).film === 1);
    server.publish({ event: "status.update", status: craftStatus({ id: "1", acct: "ann@ok.example", tags: ["film", "spoiler"] }) });
    const snapshot = await tickUntil(h, (s) => countsIn(s).film === undefined);
    expect(snapshot.windows.map((w) => w.top)).toEqual([[], []]);
  });
});
