import type { LineSocketSettings } from "../../server/config/line-socket-settings.ts";

/** Line socket settings for a test aggregator: any free port on loopback, production limits, no token. */
export function testLineSocket(overrides: Partial<LineSocketSettings> = {}): LineSocketSettings {
  return {
    host: "127.0.0.1",
    port: 0,
    queueLines: 1000,
    queueBytes: 1024 * 1024,
    maxConnections: 64,
    idleTimeoutMs: 300_000,
    lineTimeoutMs: 30_000,
    token: undefined,
    ...overrides,
  };
}
