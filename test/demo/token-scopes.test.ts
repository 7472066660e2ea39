/**
 * The scope check of a subscription, as streaming/index.js runs it before resolving the channel:
 * a token without `read` or `read:statuses` is answered with an error frame, status 401.
 */
import { afterEach, describe, expect, it } from "vitest";

import { craftStatus } from "../../server/demo/crafted-status.ts";
import { startSimulatedMastodon, type SimulatedMastodon, type SimulatedMastodonOptions } from "../../server/demo/simulated-mastodon.ts";
import { FrameQueue, SocketPool } from "./raw-socket.ts";

const sockets = new SocketPool();
const servers: SimulatedMastodon[] = [];
afterEach(async () => {
  sockets.closeAll();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server with these options, and one client that has sent these frames. */
async function subscribeFrames(options: SimulatedMastodonOptions, frames: readonly object[]): Promise<{ server: SimulatedMastodon; frames: FrameQueue }> {
  const server = await startSimulatedMastodon(options);
  servers.push(server);
  const socket = await sockets.open(`${server.streamingUrl}/api/v1/streaming`, server.token);
  const queue = new FrameQueue(socket);
  for (const frame of frames) socket.send(JSON.stringify(frame));
  return { server, frames: queue };
}

const SCOPE_REFUSAL = '{"error":"Access token does not have the required scopes","status":401}';

/** Publishes a delete (sent at once, unlike an update) and returns the frame a public subscriber gets. */
async function nextPublicFrame(server: SimulatedMastodon, frames: FrameQueue): Promise<string> {
  expect(server.publish({ event: "delete", status: craftStatus({ id: "1", acct: "alice" }) })).toBe(1);
  return frames.next();
}
const PUBLIC_DELETE = '{"stream":["public"],"event":"delete","payload":"1"}';

describe("token scopes", () => {
  it("lets any token stream public timelines, as the server read for this simulator does", async () => {
    const { server, frames } = await subscribeFrames({ tokenScopes: ["write"] }, [{ type: "subscribe", stream: "public" }]);
    await server.waitForSubscription(["public"]);
    expect(server.subscriptions()).toEqual([["public"]]);
    // The first frame the client gets is the event: no refusal came before it.
    expect(await nextPublicFrame(server, frames)).toBe(PUBLIC_DELETE);
  });

  it("refuses a user stream to a token without read or read:statuses", async () => {
    const { server, frames } = await subscribeFrames({ tokenScopes: ["write"] }, [{ type: "subscribe", stream: "user" }]);
    expect(await frames.next()).toBe(SCOPE_REFUSAL);
    expect(server.subscriptions()).toEqual([]);
  });

  it("refuses public streams too when asked to behave like newer servers, and accepts read:statuses", async () => {
    const refused = await subscribeFrames({ tokenScopes: ["write", "follow"], scopedPublicStreams: true }, [
      { type: "subscribe", stream: "public" },
      { type: "subscribe", stream: "hashtag", tag: "rust" },
    ]);
    expect([await refused.frames.next(), await refused.frames.next()]).toEqual([SCOPE_REFUSAL, SCOPE_REFUSAL]);
    expect(refused.server.subscriptions()).toEqual([]);

    const accepted = await subscribeFrames({ tokenScopes: ["read:statuses"], scopedPublicStreams: true }, [{ type: "subscribe", stream: "public" }]);
    await accepted.server.waitForSubscription(["public"]);
    expect(accepted.server.subscriptions()).toEqual([["public"]]);
    expect(await nextPublicFrame(accepted.server, accepted.frames)).toBe(PUBLIC_DELETE);
  });
});
