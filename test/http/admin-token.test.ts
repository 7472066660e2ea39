/**
 * The admin token on the real app: every refused or accepted `PUT /api/config` leaves no trace of
 * the token, right or wrong, in a log line or an answer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { captureLog } from "../integration/log-capture.ts";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

const TOKEN = "admin-s3cret-0123456789";
const WRONG = "admin-s3cret-0123456780";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("admin token", () => {
  it("never appears in a log line or a reply, whether the call is refused or accepted", async () => {
    const captured = captureLog();
    captured.log.level = "trace";
    harness = await startHarness({ adminToken: TOKEN, log: captured.log });
    const replies: string[] = [];
    const put = async (authorization: string | undefined, payload: string) => {
      const response = await harness?.app.inject({
        method: "PUT",
        url: "/api/config",
        headers: { "content-type": "application/json", ...(authorization !== undefined && { authorization }) },
        payload,
      });
      replies.push(JSON.stringify(response?.headers), response?.body ?? "");
      return response?.statusCode;
    };
    expect(await put(`Bearer ${WRONG}`, '{"triggerInterval":"2s"}')).toBe(401);
    expect(await put(`Bearer ${WRONG}`, "{not json")).toBe(401);
    expect(await put(`Basic ${TOKEN}`, '{"triggerInterval":"2s"}')).toBe(401);
    expect(await put(`Bearer ${TOKEN}`, "{not json")).toBe(400);
    expect(await put(`Bearer ${TOKEN}`, `{"triggerInterval":"${WRONG}"}`)).toBe(400);
    expect(await put(`Bearer ${TOKEN}`, '{"triggerInterval":"2s"}')).toBe(200);
    expect(harness.aggregator.hello().triggerMs).toBe(2000);

    expect(captured.entries.length).toBeGreaterThan(0);
    const logged = JSON.stringify(captured.entries);
    expect(logged).not.toContain(TOKEN);
    expect(replies.join("\n")).not.toContain(TOKEN);
    // The wrong token appears only where the client itself put it in the body.
    expect(logged).not.toContain(WRONG);
  });
});
