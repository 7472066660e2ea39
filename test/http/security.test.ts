import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../server/http/app.ts";
import { CONFIG_CHANGES_PER_MINUTE } from "../../server/http/plugins/config-api.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";
import { silentLogger } from "../support/silent-logger.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("HTTP security", () => {
  it("sends a Content-Security-Policy that allows only the app's own resources", async () => {
    harness = await startHarness();
    const response = await harness.app.inject({ method: "GET", url: "/healthz" });
    expect(response.headers["content-security-policy"]).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';" +
        "object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    );
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["strict-transport-security"]).toBeUndefined();
  });

  it("rate-limits the API per client with 429, and leaves the health check alone", async () => {
    harness = await startHarness();
    const app = await buildApp({ feed: harness.aggregator, log: silentLogger, staticDir: "/nonexistent", apiRateLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: "GET", url: "/api/top" })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await app.inject({ method: "GET", url: "/api/tags/rust" });
      expect(limited.statusCode).toBe(429);
      for (let i = 0; i < 5; i++) expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("limits a route however its path is spelled: the matched route decides, not the raw URL", async () => {
    harness = await startHarness();
    const app = await buildApp({ feed: harness.aggregator, log: silentLogger, staticDir: "/nonexistent", apiRateLimit: 3 });
    try {
      // Each spelling reaches an API route (200), and all of them draw on one client's allowance.
      const spellings = ["/%61pi/top", "/%61%70%69/config", "/api/tags/%72ust", "/%61pi/top"];
      const statuses: number[] = [];
      for (const url of spellings) statuses.push((await app.inject({ method: "GET", url })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await app.inject({ method: "GET", url: "/%68ealthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it(`refuses admin-token guesses past ${CONFIG_CHANGES_PER_MINUTE} a minute at an encoded path too`, async () => {
    harness = await startHarness();
    const app = await buildApp({
      feed: harness.aggregator,
      log: silentLogger,
      staticDir: "/nonexistent",
      adminToken: "admin-s3cret-0123456789",
      apiRateLimit: 1000,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < CONFIG_CHANGES_PER_MINUTE + 2; i++) {
        const response = await app.inject({
          method: "PUT",
          url: i % 2 === 0 ? "/%61pi/config" : "/%61%70%69/%63onfig",
          headers: { authorization: `Bearer guess-${String(i).padStart(20, "0")}`, "content-type": "application/json" },
          payload: '{"triggerInterval":"2s"}',
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([...Array<number>(CONFIG_CHANGES_PER_MINUTE).fill(401), 429, 429]);
      expect(harness.aggregator.hello().triggerMs).toBe(10_000);
    } finally {
      await app.close();
    }
  });
});
