/**
 * The demo's staged scenario through every real hop: the simulated server's generator (evergreen
 * tags, a spam account, a burst over many accounts) -> masto -> TCP -> aggregator -> WebSocket,
 * on a virtual clock of six minutes with the demo's trend settings. By trend the burst comes
 * first, by accounts the spam is gone from the top, by posts both are there.
 */
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../shared/messages.ts";
import { BURST_TAG, SPAM_TAG } from "../../server/demo/demo-scenario.ts";
import { createPostGenerator } from "../../server/demo/post-generator.ts";
import { recordWs } from "../support/ws-recorder.ts";
import { harness, ingestor, onCleanup, simulatedMastodon, waitUntil } from "./ingest-fixture.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1, 12);
const RATE = 20;

describe("the demo's spam and burst through every hop", () => {
  it("ranks the burst first by trend, demotes the spam by accounts, and shows both by posts", async () => {
    let now = T0;
    const h = await harness({
      windows: [{ kind: "sliding", lengthMs: 5 * 60 * SECOND }, { kind: "complete" }],
      clock: () => now,
      trend: { windowMs: 60 * SECOND, baselineMs: 600 * SECOND, threshold: 5, halfLifeMs: 600 * SECOND },
    });
    const ws = await recordWs(h.wsUrl);
    onCleanup(() => ws.close());
    const server = await simulatedMastodon();
    await ingestor([server], h.aggregator.intake.port, { output: { kind: "aggregator", host: "127.0.0.1", port: h.aggregator.intake.port, queueLines: 100_000 } });
    // Without edits and deletes, every post is one line: the aggregator has all of a step once it counted that many.
    const generator = createPostGenerator({ seed: 1, host: server.domain, editProbability: 0, deleteProbability: 0 });

    let posts = 0;
    for (let step = 0; step < 36; step++) {
      for (let i = 0; i < 10 * RATE; i++) {
        for (const event of generator.next(now + (i * SECOND) / RATE)) {
          // Only what the public stream delivers (public posts) reaches the ingestor.
          if (server.publish(event) > 0) posts++;
        }
      }
      await waitUntil(() => h.aggregator.ingested().lines === posts, 10_000, `${posts} posts counted`);
      now += 10 * SECOND;
      h.aggregator.tick();
    }
    const epoch = h.aggregator.latest().snapshot.epoch;
    const snapshot = await ws.waitFor((m): m is Snapshot => m.type === "snapshot" && m.epoch === epoch);
    const five = snapshot.windows.find((w) => w.window === "5m");
    const names = (entries: ReadonlyArray<{ tag: string }> | undefined, n: number): string[] => (entries ?? []).slice(0, n).map((e) => e.tag);

    expect(names(five?.byTrend, 1)).toEqual([BURST_TAG]);
    expect(five?.byTrend?.[0]).toMatchObject({ observed: expect.any(Number), expected: expect.any(Number) });
    expect(names(five?.byTrend, 20)).not.toContain(SPAM_TAG);
    expect(names(five?.top, 5)).toEqual(expect.arrayContaining([SPAM_TAG, BURST_TAG]));
    expect(names(five?.byAccounts, 5)).toContain(BURST_TAG);
    expect(names(five?.byAccounts, 20)).not.toContain(SPAM_TAG);
    const spam = five?.top.find((e) => e.tag === SPAM_TAG);
    expect(spam?.accounts).toBe(1);
    expect(spam?.count).toBeGreaterThan(100);
  }, 60_000);
});
