import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const connectSrc = (policy: unknown): string | undefined =>
  String(policy)
    .split(";")
    .find((directive) => directive.startsWith("connect-src"));

describe("a page listing several servers", () => {
  it("allows the sockets of exactly the servers listed, and nothing slipped in beside them", async () => {
    harness = await startHarness();
    const listed = await harness.app.inject({ method: "GET", url: "/wall?servers=web1.example:3000,[::1]:8080,bad/path,evil.example%3Bscript-src%20*,web1.example:3000" });
    expect(connectSrc(listed.headers["content-security-policy"])).toBe(
      "connect-src 'self' ws://web1.example:3000/ws http://web1.example:3000/api/ wss://web1.example:3000/ws https://web1.example:3000/api/ " +
        "ws://[::1]:8080/ws http://[::1]:8080/api/ wss://[::1]:8080/ws https://[::1]:8080/api/",
    );
    expect(String(listed.headers["content-security-policy"])).not.toContain("evil");
    const plain = await harness.app.inject({ method: "GET", url: "/wall?window=15m" });
    expect(connectSrc(plain.headers["content-security-policy"])).toBe("connect-src 'self'");
  });

  it("lets pages of other origins read /api/top and /api/tags, answers and refusals alike, and nothing else", async () => {
    harness = await startHarness();
    const origin = { origin: "http://web2.example:3000" };
    for (const url of ["/api/top", "/api/tags/rust", "/api/top?window=nope", "/api/top?bogus=1"]) {
      const response = await harness.app.inject({ method: "GET", url, headers: origin });
      expect([url, response.headers["access-control-allow-origin"]]).toEqual([url, "*"]);
    }
    for (const url of ["/api/config", "/healthz", "/metrics"]) {
      const response = await harness.app.inject({ method: "GET", url, headers: origin });
      expect([url, response.headers["access-control-allow-origin"]]).toEqual([url, undefined]);
    }
  });
});
