/**
 * The simulated server through the real client library the ingestor uses (masto 7.12): discovery
 * via the instance document, then streaming over a real WebSocket with the token in
 * Sec-WebSocket-Protocol. masto waits one second before its first connection attempt.
 */
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { craftStatus } from "../../server/demo/crafted-status.ts";
import { startSimulatedMastodon, type SimulatedMastodon } from "../../server/demo/simulated-mastodon.ts";

type StreamingClient = mastodon.streaming.Client;
type StreamEventIterator = AsyncIterator<mastodon.streaming.Event>;

let server: SimulatedMastodon;
let clients: StreamingClient[];

beforeEach(async () => {
  server = await startSimulatedMastodon();
  clients = [];
});

afterEach(async () => {
  for (const client of clients) client.close();
  await server.close();
});

async function connect(): Promise<StreamingClient> {
  const instance = await createRestAPIClient({ url: server.restUrl }).v2.instance.fetch();
  const client = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming,
    accessToken: server.token,
    retry: false,
  });
  clients.push(client);
  return client;
}

/** Starts iterating (which makes masto send its subscribe frame) and waits until the server has it. */
async function subscribed(
  subscription: mastodon.streaming.Subscription,
  stream: readonly string[],
): Promise<{ iterator: StreamEventIterator; first: Promise<IteratorResult<mastodon.streaming.Event>> }> {
  const iterator = subscription[Symbol.asyncIterator]();
  const first = iterator.next();
  await server.waitForSubscription(stream);
  return { iterator, first };
}

async function value(result: Promise<IteratorResult<mastodon.streaming.Event>>): Promise<mastodon.streaming.Event> {
  const { value, done } = await result;
  if (done === true) throw new Error("stream ended");
  return value;
}

describe("discovery through masto", () => {
  it("announces a streaming server on its own port in /api/v2/instance and /api/v1/instance", async () => {
    const rest = createRestAPIClient({ url: server.restUrl });
    const v2 = await rest.v2.instance.fetch();
    const v1 = await rest.v1.instance.fetch();

    expect(v2.domain).toBe("mastodon.example");
    expect(v2.version).toBe("4.3.0");
    expect(v2.configuration.urls.streaming).toBe(server.streamingUrl);
    expect(v1.urls.streamingApi).toBe(server.streamingUrl);
    expect(new URL(server.streamingUrl).port).not.toBe(new URL(server.restUrl).port);
  });
});

describe("public stream through masto", () => {
  it("delivers update, status.update and delete with camelCased status fields", async () => {
    const client = await connect();
    const { iterator, first } = await subscribed(client.public.subscribe(), ["public"]);
    const original = craftStatus({ id: "113000000000000001", acct: "alice", tags: ["Café", "fediverse"], language: "fr" });
    const edited = craftStatus({
      id: "113000000000000001",
      acct: "alice",
      tags: ["fediverse"],
      language: "fr",
      editedAt: "2025-01-01T12:05:00.000Z",
    });

    expect(server.publish({ event: "update", status: original })).toBe(1);
    const update = await value(first);
    server.publish({ event: "status.update", status: edited });
    const statusUpdate = await value(iterator.next());
    server.publish({ event: "delete", status: edited });
    const deletion = await value(iterator.next());

    expect(update.stream).toEqual(["public"]);
    if (update.event !== "update") throw new Error(`expected update, got ${update.event}`);
    expect(update.payload.id).toBe("113000000000000001");
    expect(update.payload.tags).toEqual([
      { name: "Café", url: "https://mastodon.example/tags/Caf%C3%A9" },
      { name: "fediverse", url: "https://mastodon.example/tags/fediverse" },
    ]);
    expect(update.payload.account.acct).toBe("alice");
    expect(update.payload.spoilerText).toBe("");
    expect(update.payload.inReplyToAccountId).toBeNull();
    expect(update.payload.mediaAttachments).toEqual([]);
    expect(update.payload.createdAt).toBe("2025-01-01T12:00:00.000Z");
    expect(update.payload.language).toBe("fr");
    expect(update.payload.uri).toBe("https://mastodon.example/users/alice/statuses/113000000000000001");

    if (statusUpdate.event !== "status.update") throw new Error(`expected status.update, got ${statusUpdate.event}`);
    expect(statusUpdate.payload.tags.map((tag) => tag.name)).toEqual(["fediverse"]);
    expect(statusUpdate.payload.editedAt).toBe("2025-01-01T12:05:00.000Z");
    expect(deletion).toEqual({ stream: ["public"], event: "delete", payload: "113000000000000001" });
  });

  it("splits local and remote authors between public:local and public:remote", async () => {
    const client = await connect();
    const local = await subscribed(client.public.local.subscribe(), ["public:local"]);
    const remote = await subscribed(client.public.remote.subscribe(), ["public:remote"]);

    expect(server.publish({ event: "update", status: craftStatus({ id: "1", acct: "bob@social.example.org" }) })).toBe(1);
    expect(server.publish({ event: "update", status: craftStatus({ id: "2", acct: "carol" }) })).toBe(1);
    expect(server.publish({ event: "update", status: craftStatus({ id: "3", acct: "dave@chaos.example" }) })).toBe(1);

    const localEvent = await value(local.first);
    const remoteFirst = await value(remote.first);
    const remoteSecond = await value(remote.iterator.next());
    expect(localEvent.stream).toEqual(["public:local"]);
    expect(localEvent.event === "update" && localEvent.payload.id).toBe("2");
    expect(remoteFirst.event === "update" && remoteFirst.payload.account.acct).toBe("bob@social.example.org");
    expect(remoteSecond.event === "update" && remoteSecond.payload.id).toBe("3");
  });
});

describe("hashtag stream through masto", () => {
  it("carries only statuses with the tag, matched whatever its case or accents", async () => {
    const client = await connect();
    const { first, iterator } = await subscribed(client.hashtag.subscribe({ tag: "cafe" }), ["hashtag", "cafe"]);

    expect(server.publish({ event: "update", status: craftStatus({ id: "10", acct: "alice", tags: ["tea"] }) })).toBe(0);
    expect(server.publish({ event: "update", status: craftStatus({ id: "11", acct: "alice" }) })).toBe(0);
    expect(server.publish({ event: "update", status: craftStatus({ id: "12", acct: "erin@pixel.example", tags: ["Café"] }) })).toBe(1);
    expect(server.publish({ event: "update", status: craftStatus({ id: "13", acct: "frank", tags: ["tea", "cafe"] }) })).toBe(1);

    const received = [await value(first), await value(iterator.next())];
    expect(received.map((event) => [event.stream, event.event === "update" ? event.payload.id : null])).toEqual([
      [["hashtag", "cafe"], "12"],
      [["hashtag", "cafe"], "13"],
    ]);
  });
});

describe("reconnection through masto", () => {
  it("sees a dropped connection at once and gets masto's re-subscription a second later", async () => {
    const client = await connect();
    const { iterator, first } = await subscribed(client.public.subscribe(), ["public"]);
    server.publish({ event: "delete", status: craftStatus({ id: "1", acct: "alice" }) });
    expect((await value(first)).payload).toBe("1");

    server.dropConnections();
    expect(server.subscriptions()).toEqual([]);
    const next = iterator.next();
    await server.waitForSubscription(["public"]);
    expect(server.publish({ event: "delete", status: craftStatus({ id: "2", acct: "alice" }) })).toBe(1);

    expect(await value(next)).toEqual({ stream: ["public"], event: "delete", payload: "2" });
  });
});
