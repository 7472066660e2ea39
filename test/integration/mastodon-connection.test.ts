/**
 * Staying connected to a real-protocol server through masto: a refused token ends the ingestor with
 * a message that says how to fix it; restarts, drops and silent stalls are survived, each reconnect
 * logged and counted, with no subscription lost and no post counted twice.
 */
import { describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import type { MastodonTarget } from "../../server/ingestor/ingestor.ts";
import { MastodonAuthError } from "../../server/ingestor/mastodon/mastodon-errors.ts";
import { captureLog } from "./log-capture.ts";
import { countsIn, harness, ingestor, onCleanup, simulatedMastodon, target, tickUntil, waitUntil } from "./ingest-fixture.ts";

/** The upgrade is refused only when masto connects, after startIngestor has returned. */
const refusedIngestor = (refused: MastodonTarget) =>
  ingestor([], 1, { input: { kind: "live", targets: [refused], stream: { kind: "public" }, source: "demo" } }, { subscribed: false });

const post = (id: string, tags: string[]) => ({ event: "update" as const, status: craftStatus({ id, acct: `author${id}@remote.example`, tags }) });

describe("refused access", () => {
  it("ends with MastodonAuthError naming the cause and the fix when the token is wrong", async () => {
    const server = await simulatedMastodon();
    const ing = await refusedIngestor({ ...target(server), token: "wrong" });
    const error = await ing.done.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(MastodonAuthError);
    const host = new URL(server.restUrl).host;
    expect((error as Error).message).toBe(
      `${host} refused the access token (HTTP 401: Invalid access token). Create a user access token with the read:statuses scope at ` +
        `${server.restUrl}/settings/applications/new (Preferences → Development → New application), then set it as ` +
        `MASTODON_TOKEN_${host.replace(/[^0-9A-Za-z]/g, "_").toUpperCase()} or MASTODON_TOKEN.`,
    );
    expect(ing.stats.reconnects).toBe(0);
    expect(server.connections()).toBe(0);
  });

  it("says the token is missing when none was sent", async () => {
    const server = await simulatedMastodon();
    const ing = await refusedIngestor({ ...target(server), token: undefined });
    await expect(ing.done).rejects.toThrow("(HTTP 401: Missing access token)");
  });

  it("stops on an error frame refusing the subscription for want of scopes", async () => {
    const server = await simulatedMastodon({ tokenScopes: ["write"], scopedPublicStreams: true });
    const ing = await refusedIngestor(target(server));
    // The frame carries a status field, but no HTTP response came: the message does not claim one.
    await expect(ing.done).rejects.toThrow(/refused the access token \(the server refused the subscription: Access token does not have the required scopes\)\./);
    expect(ing.stats.reconnects).toBe(0);
  });
});

describe("staying connected", () => {
  it("survives ten restarts of the streaming server: every subscription back, every post counted once", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    const captured = captureLog();
    const ing = await ingestor([server], h.aggregator.intake.port, { log: captured.log });
    const expected: Record<string, number> = {};
    for (let restart = 1; restart <= 10; restart++) {
      await server.stopStreaming();
      await server.startStreaming();
      await server.waitForSubscription(["public"]);
      expect(server.subscriptions()).toEqual([["public"]]);
      expect(server.publish(post(`${restart}`, [`restart${restart}`, "every"]))).toBe(1);
      expected[`restart${restart}`] = 1;
    }
    expected.every = 10;
    const snapshot = await tickUntil(h, (s) => s.stats.lines === 10);
    expect(countsIn(snapshot)).toEqual(expected);
    expect(ing.stats.reconnects).toBe(10);
    expect(ing.stats.connected).toBe(1);
    expect(captured.withMessage("Mastodon stream lost; reconnecting")).toHaveLength(10);
    expect(captured.withMessage("connected to Mastodon stream")).toHaveLength(11);
  }, 40_000);

  it("reconnects when the server falls silent: no event and no ping", async () => {
    const h = await harness();
    const server = await simulatedMastodon({ pingIntervalMs: 100 });
    const captured = captureLog();
    const ing = await ingestor([server], h.aggregator.intake.port, { silenceTimeoutMs: 500, log: captured.log });
    // Pings alone keep a quiet connection alive: a client of our own counts the pings the server
    // sends every client; twelve of them, 100 ms apart, span more than twice the silence timeout.
    const observer = new WebSocket(`${server.streamingUrl}/api/v1/streaming?stream=public`, server.token);
    onCleanup(async () => void observer.terminate());
    let pings = 0;
    observer.on("ping", () => (pings += 1));
    await vi.waitFor(() => expect(pings).toBeGreaterThanOrEqual(12), { timeout: 5_000, interval: 20 });
    expect(ing.stats.reconnects).toBe(0);
    expect(captured.withMessage("Mastodon stream lost; reconnecting")).toEqual([]);
    observer.terminate();
    await vi.waitFor(() => expect(server.subscriptions()).toEqual([["public"]]), { timeout: 5_000, interval: 20 });

    server.setSilent(true);
    await waitUntil(() => ing.stats.reconnects >= 1, 5_000, "a reconnect");
    server.setSilent(false);
    await server.waitForSubscription(["public"]);
    await waitUntil(() => ing.stats.connected === 1, 5_000, "connected again");
    expect(server.publish(post("1", ["after"]))).toBe(1);
    const snapshot = await tickUntil(h, (s) => s.stats.lines === 1);
    expect(countsIn(snapshot)).toEqual({ after: 1 });
    expect(captured.withMessage("Mastodon stream lost; reconnecting")[0]).toMatchObject({ cause: "no event and no ping for 500 ms", attempt: 1 });
  }, 20_000);

  it("reconnects after a dropped connection and logs why", async () => {
    const server = await simulatedMastodon();
    const captured = captureLog();
    const ing = await ingestor([server], 1, { log: captured.log });
    server.dropConnections({ code: 1001, reason: "restarting" });
    await waitUntil(() => ing.stats.reconnects === 1);
    await server.waitForSubscription(["public"]);
    expect(captured.withMessage("Mastodon stream lost; reconnecting")[0]).toMatchObject({ cause: "connection closed (1001 restarting)" });
  });
});
