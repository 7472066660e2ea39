import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/config.ts";
import { isLoopbackHost } from "../../server/config/line-socket-settings.ts";
import { configProblems } from "../support/config-problems.ts";

const problems = (env: Record<string, string>): readonly string[] => configProblems({ env });

describe("line socket settings", () => {
  it("has documented defaults: loopback, 64 connections, 5 minutes idle, 30 s to finish a line, 64 MiB queue, no token", () => {
    expect(loadConfig({}).ingest).toEqual({
      host: "127.0.0.1",
      port: 9876,
      queueLines: 100_000,
      queueBytes: 64 * 1024 * 1024,
      maxConnections: 64,
      idleTimeoutMs: 300_000,
      lineTimeoutMs: 30_000,
      token: undefined,
    });
    expect(loadConfig({ env: { INGEST_LINE_TIMEOUT: "5s" } }).ingest.lineTimeoutMs).toBe(5000);
    expect(problems({ INGEST_LINE_TIMEOUT: "10ms" })).toHaveLength(1);
    expect(loadConfig({}).http.wsMaxBufferedBytes).toBe(4 * 1024 * 1024);
  });

  it("reads sizes with binary units, durations, and the queue-bytes flag", () => {
    const config = loadConfig({
      env: { INGEST_QUEUE_BYTES: "512KiB", INGEST_MAX_CONNECTIONS: "8", INGEST_IDLE_TIMEOUT: "30s", WS_MAX_BUFFERED: "1 MiB" },
    });
    expect(config.ingest).toMatchObject({ queueBytes: 512 * 1024, maxConnections: 8, idleTimeoutMs: 30_000 });
    expect(config.http.wsMaxBufferedBytes).toBe(1024 * 1024);
    expect(loadConfig({ argv: ["--queue-bytes", "2097152"] }).ingest.queueBytes).toBe(2 * 1024 * 1024);
    expect(problems({ INGEST_QUEUE_BYTES: "lots", INGEST_MAX_CONNECTIONS: "0", INGEST_IDLE_TIMEOUT: "2 days", WS_MAX_BUFFERED: "1KiB" })).toEqual([
      'INGEST_QUEUE_BYTES: "lots" is not a size (e.g. "64MiB", "512KiB", "1048576")',
      "INGEST_MAX_CONNECTIONS: must be at least 1",
      "INGEST_IDLE_TIMEOUT must be between 1s and 1 day",
      "WS_MAX_BUFFERED must be between 64KiB and 1GiB",
    ]);
  });

  it("refuses a non-loopback INGEST_HOST without INGEST_TOKEN, in one clear problem", () => {
    const message =
      "INGEST_HOST 0.0.0.0 is not a loopback address: set INGEST_TOKEN too, so that only your ingestors can send lines";
    expect(problems({ INGEST_HOST: "0.0.0.0" })).toEqual([message]);
    expect(problems({ INGEST_HOST: "::" })).toEqual([message.replace("0.0.0.0", "::")]);
    expect(problems({ INGEST_HOST: "10.1.2.3" })).toHaveLength(1);
    expect(problems({ INGEST_HOST: "ingest.example" })).toHaveLength(1);
    const token = "0123456789abcdef0123";
    expect(loadConfig({ env: { INGEST_HOST: "0.0.0.0", INGEST_TOKEN: token } }).ingest).toMatchObject({ host: "0.0.0.0", token });
    for (const host of ["127.0.0.1", "127.8.9.10", "localhost", "::1", "0:0:0:0:0:0:0:1"]) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(problems({ INGEST_HOST: host }), host).toEqual([]);
    }
    expect(["0.0.0.0", "::", "192.168.1.2", "128.0.0.1", "localhost.example"].filter(isLoopbackHost)).toEqual([]);
  });

  it("refuses a short token, or one with spaces, without ever repeating it", () => {
    const short = "tiny-secret";
    const spaced = "a long secret with spaces";
    expect(problems({ INGEST_TOKEN: short })).toEqual(["INGEST_TOKEN: at least 16 characters (e.g. `openssl rand -hex 24`)"]);
    expect(problems({ INGEST_TOKEN: spaced })).toEqual(["INGEST_TOKEN: printable ASCII characters only, no spaces"]);
    const adminShort = "admin-tiny";
    let message = "";
    try {
      loadConfig({ env: { INGEST_TOKEN: short, ADMIN_TOKEN: adminShort, INGEST_HOST: "0.0.0.0" } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("INGEST_TOKEN: at least 16 characters");
    expect(message).toContain("ADMIN_TOKEN: at least 16 characters");
    for (const secret of [short, adminShort]) expect(message).not.toContain(secret);
  });
});
