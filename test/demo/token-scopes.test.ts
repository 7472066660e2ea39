/**
 * The scope check of a subscription, as streaming/index.js runs it before resolving the channel:
 * a token without `read` or `read:statuses` is answered with an error frame, status 401.
 */
import { afterEach, describe, expect, it } from "vitest";

import { startSimulatedMastodon, type SimulatedMastodon, type SimulatedMastodonOptions } from "../../server/demo/simulated-mastodon.ts";
import { FrameQueue, SocketPool } from "./raw-socket.ts";

const sockets = new SocketPool();
let server: SimulatedMastodon | undefined;
afterEach(async () => {
  sockets.closeAll();
  await server?.close();
  server = undefined;
});

async function subscribeFrames(options: SimulatedMastodonOptions, frames: readonly object[]): Promise<FrameQueue> {
  server = await startSimulatedMastodon(options);
  const socket = await sockets.open(`${server.streamingUrl}/api/v1/streaming`, server.token);
  const queue = new FrameQueue(socket);
  for (const frame of frames) socket.send(JSON.stringify(frame));
  return queue;
}

const SCOPE_REFUSAL = '{"error":"Access token does not have the required scopes","status":401}';

describe("token scopes", () => {
  it("lets any token stream public timelines, as the server read for this simulator does", async () => {
    await subscribeFrames({ tokenScopes: ["write"] }, [{ type: "subscribe", stream: "public" }]);
    await server?.waitForSubscription(["public"]);
  });

  it("refuses a user stream to a token without read or read:statuses", async () => {
    const frames = await subscribeFrames({ tokenScopes: ["write"] }, [{ type: "subscribe", stream: "user" }]);
    expect(await frames.next()).toBe(SCOPE_REFUSAL);
  });

  it("refuses public streams too when asked to behave like newer servers, and accepts read:statuses", async () => {
    const frames = await subscribeFrames({ tokenScopes: ["write", "follow"], scopedPublicStreams: true }, [
      { type: "subscribe", stream: "public" },
      { type: "subscribe", stream: "hashtag", tag: "rust" },
    ]);
    expect([await frames.next(), await frames.next()]).toEqual([SCOPE_REFUSAL, SCOPE_REFUSAL]);
    await server?.close();

    const accepted = await subscribeFrames({ tokenScopes: ["read:statuses"], scopedPublicStreams: true }, [{ type: "subscribe", stream: "public" }]);
    await server?.waitForSubscription(["public"]);
    expect(accepted.pending()).toEqual([]);
  });
});
