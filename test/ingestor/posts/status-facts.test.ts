import { describe, expect, it } from "vitest";
import { postLine, statusFacts } from "../../../server/ingestor/posts/status-facts.ts";

const status = (overrides: Record<string, unknown> = {}) => ({
  id: "113",
  uri: "https://remote.example/users/bob/statuses/9",
  createdAt: "2025-01-01T12:00:00.000Z",
  language: "fr",
  sensitive: false,
  tags: [{ name: "Café" }, { name: "cafe" }, { name: "日本" }, { name: "!!" }],
  account: { acct: "bob@Remote.Example", bot: false },
  ...overrides,
});

describe("statusFacts", () => {
  it("keeps what the ingestor needs, with tags normalised once each", () => {
    expect(statusFacts(status(), "home.example")).toEqual({
      localId: "113",
      uri: "https://remote.example/users/bob/statuses/9",
      tags: ["cafe", "日本"],
      createdAt: Date.UTC(2025, 0, 1, 12),
      language: "fr",
      acct: "bob@remote.example",
      domain: "remote.example",
      sensitive: false,
      bot: false,
    });
  });

  it("completes the acct of the server's own accounts", () => {
    expect(statusFacts(status({ account: { acct: "Alice", bot: true } }), "home.example")).toMatchObject({
      acct: "alice@home.example",
      domain: "home.example",
      bot: true,
    });
  });

  it("refuses payloads without the fields it relies on", () => {
    expect(statusFacts(null, "h")).toBeUndefined();
    expect(statusFacts(status({ uri: undefined }), "h")).toBeUndefined();
    expect(statusFacts(status({ tags: "x" }), "h")).toBeUndefined();
    expect(statusFacts(status({ account: null }), "h")).toBeUndefined();
  });

  it("makes the post line of the protocol", () => {
    const facts = statusFacts(status({ language: null, createdAt: "never" }), "h");
    expect(facts && postLine(facts)).toEqual({ tags: ["cafe", "日本"], id: "https://remote.example/users/bob/statuses/9", acct: "bob@remote.example" });
  });
});
