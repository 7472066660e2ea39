/**
 * The line protocol's post ops through a real TCP intake: edits and deletions change the counts a
 * WebSocket client sees, and the ingestors' reports are summed into the snapshot's `ingest` while they are
 * connected.
 */
import net from "node:net";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { encodeDeleteLine, encodeStatsLine, encodeTagLine, encodeUpdateLine } from "../../shared/line-protocol.ts";
import type { IngestReport } from "../../shared/messages.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

let harness: Harness | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await harness?.close();
  harness = undefined;
});

async function connect(h: Harness): Promise<net.Socket> {
  const socket = net.createConnection(h.aggregator.intake.port, "127.0.0.1");
  sockets.push(socket);
  await once(socket, "connect");
  return socket;
}

/** Ticks until `done` holds for the latest snapshot. */
async function tickUntil(h: Harness, done: (snapshot: ReturnType<Harness["aggregator"]["tick"]>["snapshot"]) => boolean) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { snapshot } = h.aggregator.tick();
    if (done(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`condition not met; last stats ${JSON.stringify(snapshot.stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const report = (overrides: Partial<IngestReport>): IngestReport => ({
  statuses: 0,
  forwarded: 0,
  tags: 0,
  edits: 0,
  deletes: 0,
  statusesPerSecond: 0,
  tagsPerSecond: 0,
  reconnects: 0,
  duplicates: 0,
  filtered: {},
  queued: 0,
  dropped: 0,
  connected: 1,
  ...overrides,
});

describe("post ops over the line socket", () => {
  it("applies edits and deletions to every window", async () => {
    harness = await startHarness();
    await harness.sendLines(
      encodeTagLine({ tags: ["rust", "python"], id: "https://a.example/1" }) +
        encodeTagLine({ tags: ["rust"], id: "https://a.example/2" }) +
        encodeTagLine({ tags: ["go"], id: "https://a.example/3" }),
    );
    harness.aggregator.tick();
    await harness.sendLines(
      encodeUpdateLine({ id: "https://a.example/1", tags: ["python", "zig"] }) +
        encodeDeleteLine("https://a.example/3") +
        encodeDeleteLine("https://a.example/unknown"),
    );
    const { snapshot } = harness.aggregator.tick();
    // `history`: each tag's count at both ticks; the edit took rust from 2 to 1.
    const expected = [
      { tag: "python", count: 1, rank: 1, history: [1, 1], accounts: 0 },
      { tag: "rust", count: 1, rank: 2, history: [2, 1], accounts: 0 },
      { tag: "zig", count: 1, rank: 3, history: [1], accounts: 0 },
    ];
    expect(snapshot.windows).toEqual([
      { window: "15m", top: expected, byAccounts: [] },
      { window: "complete", top: expected, byAccounts: [] },
    ]);
    expect(harness.aggregator.posts.stats).toEqual({ held: 2, repeated: 0, edits: 1, deletes: 1, unknown: 1 });
    expect(snapshot.ingest).toBeUndefined();
  });

  it("sums the reports of connected ingestors and forgets those that left", async () => {
    harness = await startHarness();
    const first = await connect(harness);
    const second = await connect(harness);
    first.write(encodeStatsLine(report({ statuses: 10, statusesPerSecond: 1.5, duplicates: 2, filtered: { bot: 1, language: 2 } })));
    second.write(encodeStatsLine(report({ statuses: 5, statusesPerSecond: 0.5, filtered: { bot: 3 }, connected: 2 })));
    const h = harness;
    const both = await tickUntil(h, (s) => s.ingest?.statuses === 15);
    expect(both.ingest).toEqual(
      report({ statuses: 15, statusesPerSecond: 2, duplicates: 2, filtered: { bot: 4, language: 2 }, connected: 3 }),
    );

    second.end();
    const one = await tickUntil(h, (s) => s.stats.ingestors === 1);
    expect(one.ingest).toEqual(report({ statuses: 10, statusesPerSecond: 1.5, duplicates: 2, filtered: { bot: 1, language: 2 } }));
  });
});
