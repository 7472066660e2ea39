/** Bad query strings, paths and bodies get a 4xx with one clear `error`, never a 500 or a silent default. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ adminToken: "0123456789abcdef-admin" });
});
afterAll(() => harness.close());

const get = async (url: string) => {
  const response = await harness.app.inject({ method: "GET", url });
  return [response.statusCode, response.json()] as const;
};

describe("request validation", () => {
  it.each([
    ["/api/top?n=0", 400, "querystring/n must be >= 1"],
    ["/api/top?n=1001", 400, "querystring/n must be <= 1000"],
    ["/api/top?n=abc", 400, "querystring/n must be integer"],
    ["/api/top?n=1.5", 400, "querystring/n must be integer"],
    ["/api/top?n=1&n=2", 400, "querystring/n must be integer"],
    ["/api/top?window=", 400, "querystring/window must NOT have fewer than 1 characters"],
    [`/api/top?window=${"w".repeat(65)}`, 400, "querystring/window must NOT have more than 64 characters"],
    ["/api/top?window=15m&window=complete", 400, "querystring/window must be string"],
    ["/api/top?limit=5", 400, 'querystring has an unknown parameter "limit"'],
    ["/api/top?window=3h", 404, 'unknown window "3h"; windows are: 15m, complete'],
    ["/api/tags/%21%21%21", 400, "tag has no valid hashtag characters"],
    ["/api/tags/%E0%A4%A", 400, "'/api/tags/%E0%A4%A' is not a valid url component"],
  ])("GET %s -> %i", async (url, status, error) => {
    expect(await get(url)).toEqual([status, { error }]);
  });

  it("refuses a tag path longer than the router's limit with 414", async () => {
    const [status, body] = await get(`/api/tags/${"a".repeat(101)}`);
    expect(status).toBe(414);
    expect(Object.keys(body)).toEqual(["error"]);
  });

  it("refuses unknown body properties instead of dropping them", async () => {
    const response = await harness.app.inject({
      method: "PUT",
      url: "/api/config",
      headers: { authorization: "Bearer 0123456789abcdef-admin", "content-type": "application/json" },
      payload: JSON.stringify({ triggerInterval: "2s", triggerMs: 5 }),
    });
    expect([response.statusCode, response.json()]).toEqual([400, { error: 'body has an unknown property "triggerMs"' }]);
    expect(harness.aggregator.hello().triggerMs).toBe(10_000);
  });

  it.each([
    ["GET", "/nope", "no such route: GET /nope"],
    ["GET", "/api/nope?n=1", "no such route: GET /api/nope"],
    ["POST", "/api/top", "no such route: POST /api/top"],
    ["DELETE", "/api/config", "no such route: DELETE /api/config"],
    ["GET", `/${"x".repeat(300)}`, `no such route: GET /${"x".repeat(199)}…`],
  ])("%s %s -> 404 with an error saying which route is missing", async (method, url, error) => {
    const response = await harness.app.inject({ method: method as "GET", url });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.json()).toEqual({ error });
  });

  it("answers a file the built dashboard lacks with the same 404 shape", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tagstream-web-"));
    await writeFile(join(dir, "index.html"), "<!doctype html><title>page</title>");
    const withPages = await startHarness({ staticDir: dir });
    try {
      const response = await withPages.app.inject({ method: "GET", url: "/assets/missing.js" });
      expect([response.statusCode, response.json()]).toEqual([404, { error: "no such route: GET /assets/missing.js" }]);
    } finally {
      await withPages.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
