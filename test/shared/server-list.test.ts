import { describe, expect, it } from "vitest";
import { apiOriginOf, MAX_SERVERS, parseServerList, ServerRotation, socketUrlOf } from "../../shared/server-list.ts";

describe("a screen's list of servers", () => {
  it("keeps host or host:port entries in order, each once, and refuses anything else", () => {
    expect(parseServerList(" web1:3000, Web2.example.org ,10.0.0.5:80,[fe80::1]:3000,, web1:3000")).toEqual({
      servers: ["web1:3000", "web2.example.org", "10.0.0.5:80", "[fe80::1]:3000"],
      refused: [],
    });
    expect(parseServerList("http://web1:3000,web1:3000/ws,user@web1,web1:0,web1:65536,-web,web1;x,web 1").refused).toEqual([
      "http://web1:3000",
      "web1:3000/ws",
      "user@web1",
      "web1:0",
      "web1:65536",
      "-web",
      "web1;x",
      "web 1",
    ]);
    const many = Array.from({ length: MAX_SERVERS + 2 }, (_, i) => `web${i}`).join(",");
    expect(parseServerList(many).servers).toHaveLength(MAX_SERVERS);
    expect(parseServerList(many).refused).toEqual([`web${MAX_SERVERS}`, `web${MAX_SERVERS + 1}`]);
  });

  it("gives each server's snapshot socket, over TLS when the page is", () => {
    expect(socketUrlOf("web1:3000", false)).toBe("ws://web1:3000/ws");
    expect(socketUrlOf("[::1]:3000", true)).toBe("wss://[::1]:3000/ws");
  });

  it("asks the REST API of the server whose socket is open, over TLS when the socket is", () => {
    expect(apiOriginOf("ws://web1:3000/ws")).toBe("http://web1:3000");
    expect(apiOriginOf("wss://[::1]:3000/ws")).toBe("https://[::1]:3000");
    expect(apiOriginOf("wss://web.example/ws")).toBe("https://web.example");
  });

  it("tries the next server whenever one fails, round the list", () => {
    const rotation = new ServerRotation(["a", "b", "c"]);
    expect(rotation.current).toBe("a");
    expect([rotation.next(), rotation.next(), rotation.next(), rotation.current]).toEqual(["b", "c", "a", "a"]);
    expect(new ServerRotation(["only"]).next()).toBe("only");
    expect(() => new ServerRotation([])).toThrow(/at least one/);
  });
});
