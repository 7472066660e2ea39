import { afterEach, describe, expect, it } from "vitest";
import type { Snapshot } from "../../shared/messages.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";
import { recordWs } from "../support/ws-recorder.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const isSnapshot = (epoch: number) => (m: { type: string; epoch?: number }): m is Snapshot => m.type === "snapshot" && m.epoch === epoch;

describe("line socket -> aggregator -> WebSocket and REST", () => {
  it("greets with hello and the latest snapshot, then one snapshot per trigger with exact counts", async () => {
    harness = await startHarness();
    const ws = await recordWs(harness.wsUrl);
    const initial = await ws.waitFor(isSnapshot(0));
    expect(ws.messages[0]).toEqual({
      type: "hello",
      v: 1,
      triggerMs: 10_000,
      topN: 20,
      windows: ["15m", "complete"],
      source: "live",
      instances: [],
      startedAt: harness.aggregator.latest().snapshot.startedAt,
    });
    expect(initial.windows).toEqual([
      { window: "15m", top: [], byAccounts: [] },
      { window: "complete", top: [], byAccounts: [] },
    ]);

    await harness.sendLines(
      'rust python\n#Rust Café\n{"tags":["python","cafe"],"ts":1,"id":"u1","acct":"a@x"}\n{broken\n\n{"op":"hello","source":"demo","instances":["demo.example"]}\n',
    );
    harness.aggregator.tick();
    const first = await ws.waitFor(isSnapshot(1));
    // Plain lines carry no author: they count as posts, and only the JSON line's author as an account.
    const expected = [
      { tag: "cafe", count: 2, rank: 1, history: [2], accounts: 1 },
      { tag: "python", count: 2, rank: 2, history: [2], accounts: 1 },
      { tag: "rust", count: 2, rank: 3, history: [2], accounts: 0 },
    ];
    const byAccounts = expected.slice(0, 2);
    expect(first.windows).toEqual([
      { window: "15m", top: expected, byAccounts },
      { window: "complete", top: expected, byAccounts },
    ]);
    expect(first.stats).toEqual({ lines: 3, tags: 6, distinct: 3, rejected: 1, ingestors: 0, noAccount: 2 });

    // Idle trigger: a new snapshot with the same counts, so a wall display never freezes.
    harness.aggregator.tick();
    const idle = await ws.waitFor(isSnapshot(2));
    const twice = expected.map((entry) => ({ ...entry, history: [2, 2] }));
    expect(idle.windows).toEqual([
      { window: "15m", top: twice, byAccounts: twice.slice(0, 2) },
      { window: "complete", top: twice, byAccounts: twice.slice(0, 2) },
    ]);
    await ws.close();
  });

  it("shows plain lines in /api/top after the next trigger, and not before", async () => {
    harness = await startHarness();
    await harness.sendLines("rust python\nrust\n");
    const before = await fetch(`${harness.httpUrl}/api/top?window=complete&n=5`).then((r) => r.json());
    expect(before).toMatchObject({ window: "complete", epoch: 0, top: [] });

    harness.aggregator.tick();
    const after = await fetch(`${harness.httpUrl}/api/top?window=complete&n=5`).then((r) => r.json());
    expect(after).toEqual({
      window: "complete",
      by: "posts",
      epoch: 1,
      at: harness.aggregator.latest().snapshot.at,
      top: [
        { tag: "rust", count: 2, rank: 1, accounts: 0 },
        { tag: "python", count: 1, rank: 2, accounts: 0 },
      ],
    });
    const tag = await fetch(`${harness.httpUrl}/api/tags/Rust`).then((r) => r.json());
    expect(tag).toEqual({ tag: "rust", windows: { "15m": 2, complete: 2 }, accounts: { "15m": 0, complete: 0 } });
  });

  it("ranks by distinct accounts on /api/top?by=accounts, each entry with its posts and accounts", async () => {
    harness = await startHarness();
    const bot = Array.from({ length: 5 }, () => '{"tags":["spam"],"acct":"bot@x"}\n').join("");
    await harness.sendLines(`${bot}{"tags":["art"],"acct":"a@x"}\n{"tags":["art"],"acct":"b@y"}\n`);
    harness.aggregator.tick();
    const get = (query: string) =>
      fetch(`${harness?.httpUrl}/api/top?${query}`).then(async (r) => ({ status: r.status, body: (await r.json()) as { top?: unknown } }));
    expect((await get("window=15m&by=accounts")).body.top).toEqual([
      { tag: "art", count: 2, rank: 1, accounts: 2 },
      { tag: "spam", count: 5, rank: 2, accounts: 1 },
    ]);
    expect((await get("window=15m")).body).toMatchObject({ by: "posts", top: [{ tag: "spam", count: 5, accounts: 1 }, { tag: "art" }] });
    expect(await get("by=likes")).toEqual({ status: 400, body: { error: "querystring/by must be equal to one of the allowed values" } });
  });

  it("answers bad API requests with clear 4xx errors", async () => {
    harness = await startHarness();
    const get = (path: string) => fetch(`${harness?.httpUrl}${path}`);
    const tooMany = await get("/api/top?n=1001");
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual({ error: "querystring/n must be <= 1000" });
    const unknown = await get("/api/top?window=3h");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'unknown window "3h"; windows are: 15m, complete' });
    const junkTag = await get(`/api/tags/${encodeURIComponent("!!!")}`);
    expect(junkTag.status).toBe(400);
    const health = await get("/healthz").then((r) => r.json());
    expect(health).toMatchObject({ status: "ok", epoch: 0, ingestors: 0 });
  });

  it("reports the source and instances an ingestor announces while it is connected", async () => {
    harness = await startHarness();
    const net = await import("node:net");
    const socket = net.createConnection(harness.aggregator.intake.port, "127.0.0.1");
    socket.write('{"op":"hello","source":"demo","instances":["demo.example"]}\nrust\n');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (harness?.aggregator.stats.source === "demo") {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    const snapshot = harness.aggregator.tick().snapshot;
    expect(snapshot.source).toBe("demo");
    expect(snapshot.instances).toEqual(["demo.example"]);
    expect(snapshot.stats.ingestors).toBe(1);
    expect(harness.aggregator.hello()).toMatchObject({ source: "demo", instances: ["demo.example"] });
    socket.destroy();
  });
});
