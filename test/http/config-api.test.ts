/** `GET/PUT /api/config` through `inject()`: the token rules, the bounds, and what a change does. */
import { afterEach, describe, expect, it } from "vitest";
import { CONFIG_CHANGES_PER_MINUTE } from "../../server/http/plugins/config-api.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

const TOKEN = "correct-horse-battery-staple";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function put(body: unknown, authorization?: string) {
  const response = await harness?.app.inject({
    method: "PUT",
    url: "/api/config",
    headers: { "content-type": "application/json", ...(authorization !== undefined && { authorization }) },
    payload: JSON.stringify(body),
  });
  if (response === undefined) throw new Error("no harness");
  return { status: response.statusCode, body: response.json() as unknown, headers: response.headers };
}

describe("/api/config", () => {
  it("is read-only without ADMIN_TOKEN: GET answers, PUT is 403 whatever the token", async () => {
    harness = await startHarness({ triggerMs: 10_000 });
    const get = await harness.app.inject({ method: "GET", url: "/api/config" });
    expect(get.json()).toEqual({ triggerMs: 10_000, triggerInterval: "10s", adminEnabled: false });
    const refused = await put({ triggerInterval: "2s" }, `Bearer ${TOKEN}`);
    expect(refused).toMatchObject({
      status: 403,
      body: { error: "changing the configuration is disabled: the server has no ADMIN_TOKEN" },
    });
    expect(harness.aggregator.hello().triggerMs).toBe(10_000);
  });

  it("answers 401 to a missing, wrong or malformed token, before looking at the body", async () => {
    harness = await startHarness({ adminToken: TOKEN });
    const expected = { status: 401, body: { error: "missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)" } };
    expect(await put({ triggerInterval: "2s" })).toMatchObject(expected);
    expect(await put({ triggerInterval: "2s" }, `Bearer ${TOKEN}x`)).toMatchObject(expected);
    expect(await put({ triggerInterval: "2s" }, `Bearer ${TOKEN.slice(1)}`)).toMatchObject(expected);
    expect(await put({ triggerInterval: "2s" }, TOKEN)).toMatchObject(expected);
    expect(await put({ nonsense: true }, "Bearer nope")).toMatchObject(expected);
    const { headers } = await put({ triggerInterval: "2s" });
    expect(headers["www-authenticate"]).toBe('Bearer realm="tagstream"');
    expect(harness.aggregator.hello().triggerMs).toBe(10_000);
  });

  it("answers 400 with a clear message to a bad interval, and changes nothing", async () => {
    harness = await startHarness({ adminToken: TOKEN, windows: [{ kind: "sliding", lengthMs: 60_000 }, { kind: "complete" }] });
    const auth = `Bearer ${TOKEN}`;
    expect(await put({ triggerInterval: "soon" }, auth)).toMatchObject({
      status: 400,
      body: { error: 'triggerInterval: "soon" is not a duration (e.g. "500ms", "2s", "1 minute")' },
    });
    expect(await put({ triggerInterval: "50ms" }, auth)).toMatchObject({
      status: 400,
      body: { error: "triggerInterval must be between 100ms and 1 hour" },
    });
    expect(await put({ triggerInterval: "2h" }, auth)).toMatchObject({
      status: 400,
      body: { error: "triggerInterval must be between 100ms and 1 hour" },
    });
    expect(await put({ triggerInterval: "5 minutes" }, auth)).toMatchObject({
      status: 400,
      body: { error: "triggerInterval must not be longer than the shortest sliding window (1m)" },
    });
    expect(await put({}, auth)).toMatchObject({ status: 400, body: { error: "body must have required property 'triggerInterval'" } });
    expect(harness.aggregator.hello().triggerMs).toBe(10_000);
  });

  it("changes the interval with the right token: the answer, hello and the next snapshot all say so", async () => {
    harness = await startHarness({ adminToken: TOKEN });
    const changed = await put({ triggerInterval: "1.5 seconds" }, `bearer  ${TOKEN}`);
    expect(changed).toMatchObject({ status: 200, body: { triggerMs: 1500, triggerInterval: "1.5s", adminEnabled: true } });
    expect(harness.aggregator.hello().triggerMs).toBe(1500);
    expect(harness.aggregator.tick().snapshot.triggerMs).toBe(1500);
    const get = await harness.app.inject({ method: "GET", url: "/api/config" });
    expect(get.json()).toEqual({ triggerMs: 1500, triggerInterval: "1.5s", adminEnabled: true });
  });

  it(`limits each client to ${CONFIG_CHANGES_PER_MINUTE} attempts a minute`, async () => {
    harness = await startHarness({ adminToken: TOKEN });
    const statuses: number[] = [];
    for (let i = 0; i <= CONFIG_CHANGES_PER_MINUTE; i++) statuses.push((await put({ triggerInterval: "2s" }, "Bearer guess")).status);
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
