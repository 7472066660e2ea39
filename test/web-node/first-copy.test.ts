import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type Hello } from "../../shared/messages.ts";
import { FirstSnapshotGate, NewestHelloGate } from "../../server/web-node/first-copy.ts";

describe("the first copy of each epoch", () => {
  it("serves each epoch once, from whichever replica sends it first, and ignores copies and older epochs", () => {
    const gate = new FirstSnapshotGate();
    const arrivals: [number, string][] = [
      [1, "a"], [1, "b"], [2, "b"], [2, "a"], [3, "a"], [2, "b"], [3, "b"], [4, "a"], [4, "b"],
    ];
    expect(arrivals.map(([epoch, replica]) => gate.offer(epoch, replica))).toEqual([
      { verdict: "first", failover: false },
      { verdict: "copy", failover: false },
      // b was quicker for epoch 2: the replica serving first changed.
      { verdict: "first", failover: true },
      { verdict: "copy", failover: false },
      { verdict: "first", failover: true },
      { verdict: "stale", failover: false },
      { verdict: "copy", failover: false },
      { verdict: "first", failover: false },
      { verdict: "copy", failover: false },
    ]);
    expect(gate.epoch).toBe(4);
    expect(gate.origin).toBe("a");
  });

  it("goes on with the other replica's next epoch, with no gap, when the quicker one stops", () => {
    const gate = new FirstSnapshotGate();
    const served: number[] = [];
    const offer = (epoch: number, replica: string): void => {
      if (gate.offer(epoch, replica).verdict === "first") served.push(epoch);
    };
    for (const epoch of [5, 6, 7]) {
      offer(epoch, "a");
      offer(epoch, "b");
    }
    // a dies after sending 8; b, a little behind, sends 8 and goes on alone.
    offer(8, "a");
    for (const epoch of [8, 9, 10]) offer(epoch, "b");
    expect(served).toEqual([5, 6, 7, 8, 9, 10]);
    expect(gate.origin).toBe("b");
  });

  it("takes the stored snapshot as a start, and a replica's newer one after it without counting a failover", () => {
    const gate = new FirstSnapshotGate();
    expect(gate.offer(41, undefined)).toEqual({ verdict: "first", failover: false });
    expect(gate.offer(41, "a")).toEqual({ verdict: "copy", failover: false });
    expect(gate.offer(42, "a")).toEqual({ verdict: "first", failover: false });
    expect(gate.offer(40, undefined)).toEqual({ verdict: "stale", failover: false });
  });
});

describe("the newest hello", () => {
  const hello = (triggerMs: number, startedAt: string): Hello => ({
    type: "hello",
    v: PROTOCOL_VERSION,
    triggerMs,
    topN: 10,
    windows: ["15m", "complete"],
    source: "live",
    instances: ["mastodon.example"],
    startedAt,
  });

  it("passes on changed settings once, whichever replica says them, and not older ones", () => {
    const gate = new NewestHelloGate();
    expect(gate.offer(hello(1000, "2026-01-01T00:00:00Z"), undefined)).toBe("first");
    // The same settings from a replica started at another time: a copy.
    expect(gate.offer(hello(1000, "2026-01-01T00:05:00Z"), 3)).toBe("copy");
    expect(gate.offer(hello(2000, "2026-01-01T00:05:00Z"), 7)).toBe("first");
    expect(gate.offer(hello(2000, "2026-01-01T00:00:00Z"), 7)).toBe("copy");
    // A replica still replaying sends what held at an older epoch.
    expect(gate.offer(hello(1000, "2026-01-01T00:09:00Z"), 4)).toBe("stale");
    // The store's older copy, read again after a reconnection.
    expect(gate.offer(hello(1000, "2026-01-01T00:00:00Z"), undefined)).toBe("stale");
    expect(gate.hello?.triggerMs).toBe(2000);
    expect(gate.offer(hello(500, "2026-01-01T00:00:00Z"), 9)).toBe("first");
    expect(gate.hello?.triggerMs).toBe(500);
  });
});
