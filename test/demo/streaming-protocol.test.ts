/**
 * The streaming protocol over raw sockets: subscriptions by query and by frame, error frames,
 * binary frames, exact message shapes and the ordering quirk of deletes.
 */
import { afterEach, describe, expect, it } from "vitest";

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

async function connected(options: SimulatedMastodonOptions = {}, query = "") {
  server = await startSimulatedMastodon(options);
  const socket = await sockets.open(`${server.streamingUrl}/api/v1/streaming${query}`, server.token);
  return { server, socket, frames: new FrameQueue(socket) };
}

const subscribe = (fields: object): string => JSON.stringify({ type: "subscribe", ...fields });

describe("subscribing", () => {
  it("subscribes from the ?stream= query and sends the exact frame for an update", async () => {
    const { server, frames } = await connected({}, "?stream=public");
    await server.waitForSubscription(["public"]);
    const status = craftStatus({ id: "42", acct: "alice", tags: ["caturday"] });

    expect(server.publish({ event: "update", status })).toBe(1);

    expect(await frames.next()).toBe(JSON.stringify({ stream: ["public"], event: "update", payload: JSON.stringify(status) }));
  });

  it("subscribes by frame, ignores a duplicate and stops after unsubscribe", async () => {
    const { server, socket, frames } = await connected();
    socket.send(subscribe({ stream: "hashtag", tag: "Caturday" }));
    socket.send(subscribe({ stream: "hashtag", tag: "caturday" }));
    await server.waitForSubscription(["hashtag", "Caturday"]);
    expect(server.subscriptions()).toEqual([["hashtag", "Caturday"]]);

    server.publish({ event: "delete", status: craftStatus({ id: "7", acct: "alice", tags: ["caturday"] }) });
    expect(await frames.next()).toBe('{"stream":["hashtag","Caturday"],"event":"delete","payload":"7"}');

    socket.send(JSON.stringify({ type: "unsubscribe", stream: "hashtag", tag: "CATURDAY" }));
    await expect.poll(() => server.subscriptions()).toEqual([]);
    expect(server.publish({ event: "update", status: craftStatus({ id: "8", acct: "alice", tags: ["caturday"] }) })).toBe(0);
  });

  it("sends one frame per matching subscription of a socket", async () => {
    const { server, socket, frames } = await connected();
    socket.send(subscribe({ stream: "public" }));
    socket.send(subscribe({ stream: "hashtag:local", tag: "art" }));
    await server.waitForSubscription(["hashtag:local", "art"]);

    expect(server.publish({ event: "delete", status: craftStatus({ id: "9", acct: "alice", tags: ["Art"] }) })).toBe(2);
    expect([await frames.next(), await frames.next()]).toEqual([
      '{"stream":["public"],"event":"delete","payload":"9"}',
      '{"stream":["hashtag:local","art"],"event":"delete","payload":"9"}',
    ]);
  });

  it("answers refused subscriptions with the real server's error frames", async () => {
    const { socket, frames } = await connected();
    socket.send(subscribe({ stream: "firehose" }));
    socket.send(subscribe({ stream: "hashtag" }));
    socket.send(subscribe({ stream: "list" }));
    socket.send(subscribe({ stream: "list", list: "12" }));
    socket.send(JSON.stringify({ type: "unsubscribe", stream: "firehose" }));

    expect([await frames.next(), await frames.next(), await frames.next(), await frames.next(), await frames.next()]).toEqual([
      '{"error":"Unknown stream type","status":400}',
      '{"error":"Missing tag name parameter","status":400}',
      '{"error":"Missing list name parameter","status":400}',
      '{"error":"Not authorized to stream this list","status":401}',
      '{"error":"Error unsubscribing from channel"}',
    ]);
  });

  it("ignores frames that are not JSON or have an unknown type", async () => {
    const { server, socket, frames } = await connected();
    socket.send("not json");
    socket.send(JSON.stringify({ type: "ping" }));
    socket.send(subscribe({ stream: "public:remote" }));
    await server.waitForSubscription(["public:remote"]);
    server.publish({ event: "delete", status: craftStatus({ id: "5", acct: "bob@chaos.example" }) });

    expect(await frames.next()).toBe('{"stream":["public:remote"],"event":"delete","payload":"5"}');
  });

  it("closes the socket with 1003 on a binary frame", async () => {
    const { socket } = await connected();
    const closing = closed(socket);
    socket.send(Buffer.from([1, 2, 3]), { binary: true });

    expect(await closing).toEqual({ code: 1003, reason: "The mastodon streaming server does not support binary messages" });
  });
});

describe("what reaches which stream", () => {
  it("keeps replies to others off public but on hashtag streams, and filters chosen languages", async () => {
    const { server, socket, frames } = await connected({ chosenLanguages: ["de"] }, "?stream=public");
    socket.send(subscribe({ stream: "hashtag", tag: "bahn" }));
    await server.waitForSubscription(["hashtag", "bahn"]);
    const reply = craftStatus({ id: "20", acct: "alice", tags: ["Bahn"], language: "de", inReplyTo: { id: "1", accountId: "999" } });

    expect(server.publish({ event: "update", status: reply })).toBe(1);
    expect(server.publish({ event: "update", status: craftStatus({ id: "21", acct: "alice", language: "en" }) })).toBe(0);
    expect(server.publish({ event: "update", status: craftStatus({ id: "22", acct: "alice", language: null }) })).toBe(1);

    const received = [await frames.next(), await frames.next()].map((frame) => JSON.parse(frame) as { stream: string[]; payload: string });
    expect(received.map((frame) => [frame.stream, (JSON.parse(frame.payload) as { id: string }).id])).toEqual([
      [["hashtag", "bahn"], "20"],
      [["public"], "22"],
    ]);
  });

  it("lets a quick delete overtake its update when updates are held back", async () => {
    const { server, frames } = await connected({ updateDelayMs: 40 }, "?stream=public");
    await server.waitForSubscription(["public"]);
    const status = craftStatus({ id: "30", acct: "alice", tags: ["oops"] });

    server.publish({ event: "update", status });
    server.publish({ event: "delete", status });

    const events = [await frames.next(), await frames.next()].map((frame) => (JSON.parse(frame) as { event: string }).event);
    expect(events).toEqual(["delete", "update"]);
  });

  it("lets an edit overtake its post when posts are held back longer than edits", async () => {
    const { server, frames } = await connected({ updateDelayMs: 40, statusUpdateDelayMs: 0 }, "?stream=public");
    await server.waitForSubscription(["public"]);
    const status = craftStatus({ id: "31", acct: "alice", tags: ["first"] });

    server.publish({ event: "update", status });
    server.publish({ event: "status.update", status: { ...status, tags: [] } });
    server.publish({ event: "delete", status });

    const events = [await frames.next(), await frames.next(), await frames.next()].map((frame) => (JSON.parse(frame) as { event: string }).event);
    expect(events).toEqual(["status.update", "delete", "update"]);
  });
});
