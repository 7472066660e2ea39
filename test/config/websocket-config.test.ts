/** The WebSocket's bounds in the one configuration: how many clients, and how much each may leave unread. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/config.ts";
import { configProblems } from "../support/config-problems.ts";

describe("WebSocket settings", () => {
  it("admits 500 clients with 4 MiB unread each by default", () => {
    expect(loadConfig({}).http).toMatchObject({ wsMaxClients: 500, wsMaxBufferedBytes: 4 * 1024 * 1024 });
  });

  it("reads WS_MAX_CLIENTS and refuses a count that is not a whole number from 1 to 100000", () => {
    expect(loadConfig({ env: { WS_MAX_CLIENTS: "25" } }).http.wsMaxClients).toBe(25);
    expect(configProblems({ env: { WS_MAX_CLIENTS: "0" } })).toEqual(["WS_MAX_CLIENTS: must be at least 1"]);
    expect(configProblems({ env: { WS_MAX_CLIENTS: "100001" } })).toEqual(["WS_MAX_CLIENTS: must be at most 100000"]);
    expect(configProblems({ env: { WS_MAX_CLIENTS: "many" } })).toEqual(["WS_MAX_CLIENTS: must be a whole number from 1 to 100000"]);
  });
});
