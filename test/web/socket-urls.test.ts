import { describe, expect, it } from "vitest";
import { snapshotSocketUrls } from "../../web/src/lib/socket-url.ts";

const page = (search: string, protocol = "http:") => ({ protocol, host: "web1.example:3000", search });

describe("where a screen takes its snapshots from", () => {
  it("is the page's own server without a list", () => {
    expect(snapshotSocketUrls(page("?window=15m"))).toEqual({ urls: ["ws://web1.example:3000/ws"], notices: [] });
    expect(snapshotSocketUrls(page("", "https:")).urls).toEqual(["wss://web1.example:3000/ws"]);
  });

  it("is the listed servers in order, over TLS when the page is, naming what was left out", () => {
    expect(snapshotSocketUrls(page("?servers=web2.example:3000,web1.example:3000,http://x", "https:"))).toEqual({
      urls: ["wss://web2.example:3000/ws", "wss://web1.example:3000/ws"],
      notices: ["servers: left out “http://x” (host or host:port only)."],
    });
  });

  it("falls back to the page's own server when the list names none usable, and says so", () => {
    expect(snapshotSocketUrls(page("?servers=a/b"))).toEqual({
      urls: ["ws://web1.example:3000/ws"],
      notices: ["servers: left out “a/b” (host or host:port only).", "servers names no usable server: using this page's own."],
    });
  });
});
