import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type Snapshot, type TopEntry } from "../../shared/messages.ts";
import { topFromSnapshot } from "../../server/web-node/snapshot-top.ts";

const entry = (tag: string, count: number, rank: number): TopEntry => ({ tag, count, rank, accounts: count, history: [count - 1, count] });

function snapshot(top: TopEntry[], byAccounts?: TopEntry[]): Snapshot {
  return {
    type: "snapshot",
    v: PROTOCOL_VERSION,
    epoch: 12,
    at: "2026-01-01T00:01:00.000Z",
    triggerMs: 5000,
    source: "live",
    instances: ["mastodon.example"],
    windows: [{ window: "15m", top, ...(byAccounts !== undefined && { byAccounts }) }],
    stats: { lines: 9, tags: 9, distinct: 3, rejected: 0, ingestors: 1 },
  };
}

describe("a top answered from the snapshot", () => {
  const full = snapshot([entry("a", 5, 1), entry("b", 3, 2), entry("c", 1, 3)], [entry("b", 3, 1)]);

  it("is the snapshot's ranking cut to n, without the sparkline history, as /api/top answers it", () => {
    expect(topFromSnapshot(full, 3, "15m", 2, "posts")).toEqual({
      window: "15m",
      by: "posts",
      epoch: 12,
      at: "2026-01-01T00:01:00.000Z",
      top: [
        { tag: "a", count: 5, rank: 1, accounts: 5 },
        { tag: "b", count: 3, rank: 2, accounts: 3 },
      ],
    });
    expect(topFromSnapshot(full, 3, "15m", 3, "accounts")?.top).toEqual([{ tag: "b", count: 3, rank: 1, accounts: 3 }]);
  });

  it("is all there is when the ranking is shorter than TOP_N, even for a larger n", () => {
    expect(topFromSnapshot(full, 10, "15m", 50, "posts")?.top.map((e) => e.tag)).toEqual(["a", "b", "c"]);
  });

  it("is not held past a full TOP_N, for a ranking the snapshot lacks, or a window it lacks", () => {
    expect(topFromSnapshot(full, 3, "15m", 4, "posts")).toBeUndefined();
    expect(topFromSnapshot(full, 3, "15m", 2, "trend")).toBeUndefined();
    expect(topFromSnapshot(full, 3, "1h", 2, "posts")).toBeUndefined();
  });
});
