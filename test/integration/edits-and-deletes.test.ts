/**
 * Edits and deletions end to end, through masto and the aggregator, with exact counts in every
 * window: an edit adds and removes tags, a deletion takes back what the post counted, and a
 * deletion that overtakes its update keeps the update from counting at all.
 */
import { describe, expect, it } from "vitest";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import { countsIn, harness, ingestor, simulatedMastodon, tickUntil, waitUntil } from "./ingest-fixture.ts";

const status = (id: string, tags: string[]) => craftStatus({ id, acct: "dave@remote.example", tags });

describe("edits", () => {
  it("adds and removes the edited tags, in every window", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    await ingestor([server], h.aggregator.intake.port);
    server.publish({ event: "update", status: status("1", ["a", "b"]) });
    server.publish({ event: "update", status: status("2", ["b"]) });
    await tickUntil(h, (s) => s.stats.lines === 2);

    server.publish({ event: "status.update", status: status("1", ["b", "c", "d"]) });
    server.publish({ event: "status.update", status: status("2", []) });
    const after = await tickUntil(h, (s) => countsIn(s).d === 1 && countsIn(s).b === 1);
    for (const window of ["15m", "complete"]) expect(countsIn(after, window)).toEqual({ b: 1, c: 1, d: 1 });
    expect(h.aggregator.posts.stats).toMatchObject({ edits: 2 });
  });

  it("ignores an edit that changes no tag, and an edit of a post from before the stream", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    const ing = await ingestor([server], h.aggregator.intake.port);
    server.publish({ event: "update", status: status("1", ["a"]) });
    server.publish({ event: "status.update", status: status("1", ["A"]) });
    server.publish({ event: "status.update", status: status("999", ["old"]) });
    await waitUntil(() => ing.stats.edits === 2);
    expect(Object.fromEntries(ing.stats.skipped)).toEqual({ unchanged: 1, unseen: 1 });
    const snapshot = await tickUntil(h, (s) => s.stats.lines === 1);
    expect(countsIn(snapshot)).toEqual({ a: 1 });
  });

  it("counts posts whose edit overtook them with their edited tags", async () => {
    const h = await harness();
    // Posts are held back 150 ms, edits go out at once: every edit arrives before its post.
    const server = await simulatedMastodon({ updateDelayMs: 150, statusUpdateDelayMs: 0 });
    const ing = await ingestor([server], h.aggregator.intake.port);
    const pairs = 200;
    for (let i = 0; i < pairs; i++) {
      server.publish({ event: "update", status: status(String(i), [`before${i % 10}`, "kept"]) });
      server.publish({ event: "status.update", status: status(String(i), [`after${i % 10}`, "kept"]) });
    }
    await waitUntil(() => ing.stats.statuses === pairs && ing.stats.edits === pairs);
    expect(Object.fromEntries(ing.stats.skipped)).toEqual({ unseen: pairs });
    const snapshot = await tickUntil(h, (s) => s.stats.lines === pairs);
    const expected: Record<string, number> = { kept: pairs };
    for (let k = 0; k < 10; k++) expected[`after${k}`] = pairs / 10;
    for (const window of ["15m", "complete"]) expect(countsIn(snapshot, window)).toEqual(expected);
    expect(h.aggregator.posts.stats).toMatchObject({ held: pairs, edits: 0, unknown: 0 });
  });
});

describe("deletes", () => {
  it("takes back a deleted post's tags from every window", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    await ingestor([server], h.aggregator.intake.port);
    server.publish({ event: "update", status: status("1", ["a", "b"]) });
    server.publish({ event: "update", status: status("2", ["a"]) });
    await tickUntil(h, (s) => s.stats.lines === 2);

    server.publish({ event: "delete", status: status("1", ["a", "b"]) });
    const after = await tickUntil(h, (s) => countsIn(s).b === undefined);
    for (const window of ["15m", "complete"]) expect(countsIn(after, window)).toEqual({ a: 1 });
  });

  it("does not count an update whose delete overtook it", async () => {
    const h = await harness();
    // Updates are held back 200 ms, deletes go out at once: the delete arrives first.
    const server = await simulatedMastodon({ updateDelayMs: 200 });
    const ing = await ingestor([server], h.aggregator.intake.port);
    server.publish({ event: "update", status: status("1", ["ghost"]) });
    server.publish({ event: "delete", status: status("1", ["ghost"]) });
    server.publish({ event: "update", status: status("2", ["kept"]) });
    await waitUntil(() => ing.stats.statuses === 2);
    expect(Object.fromEntries(ing.stats.skipped)).toEqual({ unknown: 1, deleted: 1 });

    const snapshot = await tickUntil(h, (s) => s.stats.lines === 1);
    expect(countsIn(snapshot)).toEqual({ kept: 1 });
    expect(h.aggregator.posts.stats).toMatchObject({ deletes: 0, unknown: 0 });
  });

  it("deletes an edited post completely, its tags each from the interval it was counted in", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    await ingestor([server], h.aggregator.intake.port);
    server.publish({ event: "update", status: status("1", ["a"]) });
    await tickUntil(h, (s) => s.stats.lines === 1);
    server.publish({ event: "status.update", status: status("1", ["a", "b"]) });
    await tickUntil(h, (s) => countsIn(s).b === 1);
    server.publish({ event: "delete", status: status("1", ["a", "b"]) });
    const after = await tickUntil(h, (s) => Object.keys(countsIn(s)).length === 0);
    expect(after.windows.map((w) => w.top)).toEqual([[], []]);
  });
});
