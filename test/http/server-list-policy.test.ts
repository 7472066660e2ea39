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

describe("the page's Content-Security-Policy with a list of servers", () => {
  it("allows the sockets of exactly the servers listed, and nothing slipped in beside them", async () => {
    harness = await startHarness();
    const listed = await harness.app.inject({ method: "GET", url: "/wall?servers=web1.example:3000,[::1]:8080,bad/path,evil.example%3Bscript-src%20*,web1.example:3000" });
    expect(connectSrc(listed.headers["content-security-policy"])).toBe(
      "connect-src 'self' ws://web1.example:3000/ws wss://web1.example:3000/ws ws://[::1]:8080/ws wss://[::1]:8080/ws",
    );
    expect(String(listed.headers["content-security-policy"])).not.toContain("evil");
    const plain = await harness.app.inject({ method: "GET", url: "/wall?window=15m" });
    expect(connectSrc(plain.headers["content-security-policy"])).toBe("connect-src 'self'");
  });
});
