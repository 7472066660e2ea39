import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/config.ts";

describe("checkpoint settings", () => {
  it("write every 30 s to ./data by default", () => {
    expect(loadConfig({}).checkpoint).toEqual({ dir: "./data", intervalMs: 30_000 });
  });

  it("take CHECKPOINT_INTERVAL and STATE_DIR from the environment or flags", () => {
    expect(loadConfig({ env: { CHECKPOINT_INTERVAL: "5 minutes", STATE_DIR: "/var/lib/tagstream" } }).checkpoint).toEqual({
      dir: "/var/lib/tagstream",
      intervalMs: 300_000,
    });
    expect(loadConfig({ argv: ["--checkpoint-interval", "300ms", "--state-dir", "/tmp/x"] }).checkpoint).toEqual({ dir: "/tmp/x", intervalMs: 300 });
  });

  it("refuse an interval outside 100 ms .. 1 hour", () => {
    expect(() => loadConfig({ env: { CHECKPOINT_INTERVAL: "50ms" } })).toThrow("CHECKPOINT_INTERVAL must be between 100ms and 1 hour");
    expect(() => loadConfig({ env: { CHECKPOINT_INTERVAL: "2h" } })).toThrow("CHECKPOINT_INTERVAL must be between 100ms and 1 hour");
    expect(() => loadConfig({ env: { CHECKPOINT_INTERVAL: "often" } })).toThrow('CHECKPOINT_INTERVAL: "often" is not a duration');
  });
});
