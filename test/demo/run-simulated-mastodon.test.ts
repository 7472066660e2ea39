/** The stand-alone entry point: generated traffic reaches a masto client over real sockets. */
import { createRestAPIClient, createStreamingAPIClient } from "masto";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

import { runSimulatedMastodon } from "../../server/demo/run-simulated-mastodon.ts";

describe("runSimulatedMastodon", () => {
  it("streams generated posts to a masto public subscription and closes cleanly", async () => {
    const running = await runSimulatedMastodon({
      port: 0,
      streamingPort: 0,
      token: "demo-token",
      postsPerSecond: 50,
      seed: 2,
      logger: pino({ level: "silent" }),
    });
    const instance = await createRestAPIClient({ url: running.server.restUrl }).v2.instance.fetch();
    const client = createStreamingAPIClient({
      streamingApiUrl: instance.configuration.urls.streaming,
      accessToken: "demo-token",
      retry: false,
    });
    try {
      const updates: string[] = [];
      for await (const event of client.public.subscribe()) {
        if (event.event === "update") updates.push(event.payload.account.acct);
        if (updates.length === 25) break;
      }
      expect(updates).toHaveLength(25);
      expect(running.traffic.posts()).toBeGreaterThanOrEqual(25);
    } finally {
      client.close();
      await running.close();
    }
    expect(running.server.connections()).toBe(0);
  });
});
