import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../server/http/app.ts";
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
});
