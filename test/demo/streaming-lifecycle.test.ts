/**
 * Connection life: the protocol-level heartbeat, dead peers, and the failure hooks later
 * reconnect tests rely on (silence, dropped connections, a restart on the same port).
 */
import { afterEach, describe, expect, it } from "vitest";
import type WebSocket from "ws";

import { craftStatus } from "../../server/demo/crafted-status.ts";
import {
  startSimulatedMastodon,
  type SimulatedMastodon,
  type SimulatedMastodonOptions,
} from "../../server/demo/simulated-mastodon.ts";
import { closed, FrameQueue, SocketPool } from "./raw-socket.ts";

const sockets = new SocketPool();
let server: SimulatedMastodon | undefined;

afterEach(async () => {
  sockets.closeAll();
  await server?.close();
  server = undefined;
});

async function start(options: SimulatedMastodonOptions = {}): Promise<SimulatedMastodon> {
  server = await startSimulatedMastodon(options);
  return server;
}

function open(target: SimulatedMastodon, options: { autoPong?: boolean } = {}): Promise<WebSocket> {
  return sockets.open(`${target.streamingUrl}/api/v1/streaming?stream=public`, target.token, options);
}

const countPings = (socket: WebSocket): (() => number) => {
  let pings = 0;
  socket.on("ping", () => {
    pings += 1;
  });
  return () => pings;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("heartbeat", () => {
  it("pings every interval and keeps a peer that answers", async () => {
    const target = await start({ pingIntervalMs: 30 });
    const socket = await open(target);
    const pings = countPings(socket);

    await expect.poll(pings, { timeout: 1_000 }).toBeGreaterThanOrEqual(3);
    expect(socket.readyState).toBe(socket.OPEN);
    expect(target.connections()).toBe(1);
  });

  it("terminates a peer that did not pong by the next ping", async () => {
    const target = await start({ pingIntervalMs: 30 });
    const socket = await open(target, { autoPong: false });

    expect(await closed(socket)).toEqual({ code: 1006, reason: "" });
    await expect.poll(() => target.connections()).toBe(0);
  });
});

describe("failure hooks", () => {
  it("goes silent without closing: no events, no pings, then resumes", async () => {
    const target = await start({ pingIntervalMs: 20 });
    const socket = await open(target);
    const frames = new FrameQueue(socket);
    await target.waitForSubscription(["public"]);
    target.setSilent(true);
    const pings = countPings(socket);

    expect(target.publish({ event: "delete", status: craftStatus({ id: "1", acct: "alice" }) })).toBe(0);
    await sleep(120);
    expect(pings()).toBe(0);
    expect(frames.pending()).toEqual([]);
    expect(socket.readyState).toBe(socket.OPEN);

    target.setSilent(false);
    expect(target.publish({ event: "delete", status: craftStatus({ id: "2", acct: "alice" }) })).toBe(1);
    expect(await frames.next()).toBe('{"stream":["public"],"event":"delete","payload":"2"}');
    await expect.poll(pings, { timeout: 1_000 }).toBeGreaterThanOrEqual(1);
    expect(target.stats()).toEqual({ published: 2, framesSent: 1, droppedWhileSilent: 1 });
  });

  it("drops connections abruptly or with a close code", async () => {
    const target = await start();
    const first = await open(target);
    const cut = closed(first);
    target.dropConnections();
    expect((await cut).code).toBe(1006);

    const second = await open(target);
    const goingAway = closed(second);
    target.dropConnections({ code: 1001, reason: "restarting" });
    expect(await goingAway).toEqual({ code: 1001, reason: "restarting" });
  });

  it("refuses connections while stopped and comes back on the same port", async () => {
    const target = await start();
    const before = await open(target);
    const cut = closed(before);

    await target.stopStreaming();
    expect((await cut).code).toBe(1006);
    await expect(open(target)).rejects.toThrow(/ECONNREFUSED/);

    await target.startStreaming();
    const after = await open(target);
    await target.waitForSubscription(["public"]);
    const frames = new FrameQueue(after);
    target.publish({ event: "delete", status: craftStatus({ id: "3", acct: "alice" }) });
    expect(await frames.next()).toBe('{"stream":["public"],"event":"delete","payload":"3"}');
  });
});
