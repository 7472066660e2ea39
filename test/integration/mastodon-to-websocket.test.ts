/**
 * Every hop real: simulated Mastodon server -> the ingestor (masto over WebSocket) -> TCP line
 * socket -> aggregator -> WebSocket client. Counts must arrive exactly.
 */
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../shared/messages.ts";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import type { SimulatedMastodon } from "../../server/demo/simulated-mastodon.ts";
import type { Harness } from "../support/aggregator-harness.ts";
import { freePort } from "../support/free-port.ts";
import { recordWs } from "../support/ws-recorder.ts";
import { harness, ingestor as startIngestorFor, onCleanup, simulatedMastodon, tickUntil, waitUntil } from "./ingest-fixture.ts";

const ingestor = (server: SimulatedMastodon, ingestPort: number, queueLines = 1000) =>
  startIngestorFor([server], ingestPort, { output: { kind: "aggregator", host: "127.0.0.1", port: ingestPort, queueLines } });

/** Ticks until the aggregator has counted `lines` lines (each tick is a real trigger). */
const tickUntilLines = (h: Harness, lines: number, timeoutMs = 5000): Promise<Snapshot> =>
  tickUntil(h, (snapshot) => snapshot.stats.lines >= lines, timeoutMs);

describe("Mastodon stream -> ingestor -> aggregator -> WebSocket", () => {
  it("delivers exact counts of the statuses' tags, normalised, to a WebSocket client", async () => {
    const h = await harness();
    const ws = await recordWs(h.wsUrl);
    onCleanup(() => ws.close());
    const server = await simulatedMastodon();
    const ing = await ingestor(server, h.aggregator.intake.port);

    const posts = [
      { id: "1", acct: "alice", tags: ["rust", "python"] },
      { id: "2", acct: "bob@remote.example", tags: ["Rust", "cafe"] },
      { id: "3", acct: "carol", tags: [] },
      { id: "4", acct: "dave@other.example", tags: ["CAFÉ", "rust", "日本"] },
    ];
    for (const post of posts) expect(server.publish({ event: "update", status: craftStatus(post) })).toBe(1);

    const snapshot = await tickUntilLines(h, 4);
    const received = await ws.waitFor((m): m is Snapshot => m.type === "snapshot" && m.epoch === snapshot.epoch);
    // Every post has its author: rust by three accounts, cafe by two.
    const expected = [
      { tag: "rust", count: 3, rank: 1, accounts: 3 },
      { tag: "cafe", count: 2, rank: 2, accounts: 2 },
      { tag: "python", count: 1, rank: 3, accounts: 1 },
      { tag: "日本", count: 1, rank: 4, accounts: 1 },
    ];
    // toMatchObject: entries also carry `history`, which depends on how many ticks it took.
    expect(received.windows).toMatchObject([
      { window: "15m", top: expected },
      { window: "complete", top: expected },
    ]);
    expect(received.stats).toEqual({ lines: 4, tags: 7, distinct: 4, rejected: 0, ingestors: 1, noAccount: 0 });
    expect(received.source).toBe("demo");
    expect(received.instances).toEqual(["mastodon.example"]);
    expect(ing.report()).toMatchObject({ statuses: 4, forwarded: 4, tags: 7, duplicates: 0, reconnects: 0, connected: 1 });
  });

  it("queues lines while the aggregator is away and delivers them, in order, when it comes", async () => {
    const port = await freePort();
    const server = await simulatedMastodon();
    const ing = await ingestor(server, port);
    for (let i = 0; i < 5; i++) server.publish({ event: "update", status: craftStatus({ id: `${i}`, acct: "a", tags: ["early"] }) });
    await waitUntil(() => ing.output.queued === 5);

    const h = await harness({ ingestPort: port });
    const snapshot = await tickUntilLines(h, 5, 10_000);
    expect(snapshot.windows[1]?.top).toMatchObject([{ tag: "early", count: 5, rank: 1 }]);
    expect(ing.output).toMatchObject({ sent: 5, dropped: 0, queued: 0, connected: true });
  });

  it("drops the oldest lines beyond the queue bound and counts them", async () => {
    const port = await freePort();
    const server = await simulatedMastodon();
    const ing = await ingestor(server, port, 3);
    for (let i = 1; i <= 5; i++) server.publish({ event: "update", status: craftStatus({ id: `${i}`, acct: "a", tags: [`tag${i}`] }) });
    await waitUntil(() => ing.stats.statuses === 5);
    expect(ing.output).toMatchObject({ dropped: 2, queued: 3 });

    const h = await harness({ ingestPort: port });
    const snapshot = await tickUntilLines(h, 3, 10_000);
    expect(snapshot.windows[1]?.top.map((e) => e.tag)).toEqual(["tag3", "tag4", "tag5"]);
    expect(snapshot.stats.lines).toBe(3);
  });
});

