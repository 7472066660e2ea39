/**
 * Through real sockets: the sparkline history that snapshots carry, and a trigger interval changed
 * at run time with `PUT /api/config`, seen by a WebSocket client as a new `hello` and a new cadence.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Hello, ServerMessage, Snapshot } from "../../shared/messages.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";
import { recordWs } from "../support/ws-recorder.ts";

const TOKEN = "an-admin-token-for-tests";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const isHello = (triggerMs: number) => (m: ServerMessage): m is Hello => m.type === "hello" && m.triggerMs === triggerMs;

describe("snapshot history", () => {
  it("gives each top entry its counts at the last ticks, in its own window", async () => {
    let now = 0;
    harness = await startHarness({ windows: [{ kind: "sliding", lengthMs: 60_000 }, { kind: "complete" }], clock: () => now });
    await harness.sendLines("rust\nrust\ngo\n");
    now = 10_000;
    harness.aggregator.tick();
    await harness.sendLines("go\ngo\ngo\n");
    now = 20_000;
    harness.aggregator.tick();
    // The interval closed at 10 s has left the one-minute window by 75 s: rust with it.
    now = 75_000;
    harness.aggregator.tick();
    expect(harness.aggregator.latest().snapshot.windows).toEqual([
      { window: "1m", top: [{ tag: "go", count: 3, rank: 1, history: [1, 4, 3], accounts: 0 }], byAccounts: [] },
      {
        window: "complete",
        top: [
          { tag: "go", count: 4, rank: 1, history: [1, 4, 4], accounts: 0 },
          { tag: "rust", count: 2, rank: 2, history: [2, 2, 2], accounts: 0 },
        ],
        byAccounts: [],
      },
    ]);
  });
});

describe("trigger interval changed at run time", () => {
  it("tells every client with a new hello and ticks at the new cadence from the next tick", async () => {
    harness = await startHarness({ autoTick: true, triggerMs: 1000, adminToken: TOKEN });
    const ws = await recordWs(harness.wsUrl);
    await ws.waitFor(isHello(1000));

    const response = await fetch(`${harness.httpUrl}/api/config`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ triggerInterval: "200ms" }),
    });
    expect(response.status).toBe(200);
    const hello = await ws.waitFor(isHello(200));
    expect(hello).toMatchObject({ topN: 20, windows: ["15m", "complete"] });

    const after = ws.messages.indexOf(hello);
    const fast = (): Snapshot[] =>
      ws.messages.slice(after).filter((m): m is Snapshot => m.type === "snapshot" && m.triggerMs === 200);
    await expect.poll(() => fast().length, { timeout: 5000, interval: 50 }).toBeGreaterThanOrEqual(6);
    const times = fast().map((s) => Date.parse(s.at));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // Drift-free beats: each gap is the interval plus timer lateness, never a whole old interval.
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(150);
      expect(gap).toBeLessThan(450);
    }
    await ws.close();
  });
});
