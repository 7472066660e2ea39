/**
 * Who may open the stream: the token checks of the upgrade, in the real server's order of
 * precedence, and the refusal it writes (HTTP 401 with `X-Error-Message`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startSimulatedMastodon, type SimulatedMastodon } from "../../server/demo/simulated-mastodon.ts";
import { SocketPool } from "./raw-socket.ts";

const TOKEN = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr";
let server: SimulatedMastodon;
const sockets = new SocketPool();

beforeAll(async () => {
  server = await startSimulatedMastodon({ token: TOKEN });
});
afterEach(() => sockets.closeAll());
afterAll(async () => {
  await server.close();
});

const endpoint = (query = ""): string => `${server.streamingUrl}/api/v1/streaming${query}`;

describe("refused upgrades", () => {
  it("answers 401 Missing access token without any token", async () => {
    expect(await sockets.refusal(endpoint())).toEqual({ status: 401, message: "Missing access token" });
  });

  it("answers 401 Invalid access token for a wrong token in each place", async () => {
    const invalid = { status: 401, message: "Invalid access token" };
    expect(await sockets.refusal(endpoint(), undefined, { headers: { Authorization: "Bearer nope" } })).toEqual(invalid);
    expect(await sockets.refusal(endpoint("?access_token=nope"))).toEqual(invalid);
    expect(await sockets.refusal(endpoint(), "nope")).toEqual(invalid);
  });

  it("lets the Authorization header win over a valid query token, as Mastodon does", async () => {
    const refusal = await sockets.refusal(endpoint(`?access_token=${TOKEN}`), undefined, {
      headers: { Authorization: "Bearer nope" },
    });
    expect(refusal).toEqual({ status: 401, message: "Invalid access token" });
  });

  it("answers 404 outside /api/v1/streaming", async () => {
    expect(await sockets.refusal(`${server.streamingUrl}/socket?access_token=${TOKEN}`)).toEqual({
      status: 404,
      message: "Not found",
    });
  });
});

describe("accepted upgrades", () => {
  it("accepts the token as Authorization: Bearer", async () => {
    const socket = await sockets.open(endpoint(), undefined, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(socket.protocol).toBe("");
    expect(server.connections()).toBe(1);
  });

  it("accepts the token as the access_token query parameter", async () => {
    const socket = await sockets.open(endpoint(`?access_token=${TOKEN}`));
    expect(socket.readyState).toBe(socket.OPEN);
  });

  it("accepts the token as Sec-WebSocket-Protocol and echoes it back", async () => {
    const socket = await sockets.open(endpoint(), TOKEN);
    expect(socket.protocol).toBe(TOKEN);
  });
});

describe("health", () => {
  it("answers GET /api/v1/streaming/health with OK and no token", async () => {
    const response = await fetch(`${server.streamingUrl.replace("ws:", "http:")}/api/v1/streaming/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("OK");
  });
});
