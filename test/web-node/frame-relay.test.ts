import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type Hello, type Snapshot } from "../../shared/messages.ts";
import { FrameRelay, type RelayMetrics } from "../../server/web-node/frame-relay.ts";
import { silentLogger } from "../support/silent-logger.ts";

const hello: Hello = { type: "hello", v: PROTOCOL_VERSION, triggerMs: 1000, topN: 3, windows: ["15m"], source: "live", instances: [] };
const snapshot = (epoch: number): Snapshot => ({
  type: "snapshot",
  v: PROTOCOL_VERSION,
  epoch,
  at: "2026-01-01T00:00:00.000Z",
  triggerMs: 1000,
  source: "live",
  instances: [],
  windows: [{ window: "15m", top: [] }],
  stats: { lines: 0, tags: 0, distinct: 0, rejected: 0, ingestors: 0 },
});

function recordingRelay() {
  const events: string[] = [];
  const metrics: RelayMetrics = {
    epochServed: (epoch, failover) => events.push(`served ${epoch}${failover ? " failover" : ""}`),
    helloServed: () => events.push("hello"),
    frameIgnored: (reason) => events.push(reason),
    invalid: (reason) => events.push(`invalid ${reason}`),
  };
  const relay = new FrameRelay(metrics, silentLogger);
  const passed: unknown[] = [];
  relay.subscribe((frame) => passed.push(JSON.parse(frame)));
  return { relay, events, passed };
}

describe("the frames a web node passes on", () => {
  it("passes on the first valid copy of each epoch, refusing frames that are not frames or lack a matching epoch header", async () => {
    const { relay, events, passed } = recordingRelay();
    let ready = false;
    void relay.ready.then(() => (ready = true));
    relay.fromReplica(JSON.stringify(snapshot(4)), "4", "a");
    relay.fromReplica(JSON.stringify(snapshot(4)), "4", "b");
    relay.fromReplica("[]", "5", "a");
    relay.fromReplica(JSON.stringify(snapshot(5)), undefined, "a");
    relay.fromReplica(JSON.stringify(snapshot(5)), "6", "a");
    relay.fromReplica(JSON.stringify(snapshot(5)), "5x", "a");
    relay.fromReplica(JSON.stringify({ ...snapshot(5), v: 2 }), "5", "a");
    relay.fromReplica(JSON.stringify(snapshot(5)), "5", "b");
    await Promise.resolve();
    // No hello yet: not ready, whatever snapshots came.
    expect(ready).toBe(false);
    relay.fromReplica(JSON.stringify(hello), "5", undefined);
    await relay.ready;
    expect(events).toEqual([
      "served 4",
      "copy",
      "invalid frame",
      "invalid epoch-header",
      "invalid epoch-header",
      "invalid epoch-header",
      "invalid frame",
      "served 5 failover",
      "hello",
    ]);
    expect(passed).toEqual([snapshot(4), snapshot(5), hello]);
    expect(relay.latest?.snapshot).toEqual(snapshot(5));
    expect(relay.origin).toBe("b");
  });

  it("takes the store's frames under their own keys only, as older than any replica's of the same epoch", () => {
    const { relay, events } = recordingRelay();
    relay.fromStore("snapshot", JSON.stringify(hello));
    relay.fromStore("hello", "{");
    relay.fromStore("snapshot", JSON.stringify(snapshot(9)));
    relay.fromStore("hello", JSON.stringify(hello));
    relay.fromReplica(JSON.stringify(snapshot(9)), "9", "a");
    relay.fromStore("snapshot", JSON.stringify(snapshot(8)));
    expect(events).toEqual(["invalid store", "invalid store", "served 9", "hello", "copy", "stale"]);
    expect(relay.origin).toBeUndefined();
    expect(relay.epoch).toBe(9);
  });
});
