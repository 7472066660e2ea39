import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config/config.ts";

describe("loadConfig", () => {
  it("has documented defaults and runs the demo without a token", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mastodon: { url: "https://mastodon.social", token: undefined, stream: { kind: "public" }, streamingUrl: undefined },
      ingest: { host: "127.0.0.1", port: 9876 },
      http: { host: "127.0.0.1", port: 3000 },
      triggerMs: 10_000,
      windows: [{ kind: "sliding", lengthMs: 900_000 }, { kind: "complete" }],
      topN: 20,
      demo: true,
    });
    expect(Object.isFrozen(config.mastodon)).toBe(true);
  });

  it("accepts Spark-style trigger intervals", () => {
    const trigger = (text: string) => loadConfig({ env: { TRIGGER_INTERVAL: text } }).triggerMs;
    expect(trigger("10 seconds")).toBe(10_000);
    expect(trigger("500ms")).toBe(500);
    expect(trigger("2s")).toBe(2000);
    expect(trigger("1 minute")).toBe(60_000);
  });

  it("layers .env < environment < flags, an empty variable counting as unset", () => {
    const config = loadConfig({
      envFile: "TOP_N=5\nHTTP_PORT=4000\nWINDOWS=1h\n",
      env: { HTTP_PORT: "5000", TOP_N: "", MASTODON_TOKEN: "secret", MASTODON_STREAM: "hashtag:#Rust" },
      argv: ["--port", "6000", "--windows", "5m,complete"],
    });
    expect(config.topN).toBe(5);
    expect(config.http.port).toBe(6000);
    expect(config.windows).toEqual([{ kind: "sliding", lengthMs: 300_000 }, { kind: "complete" }]);
    expect(config.mastodon.stream).toEqual({ kind: "hashtag", tag: "Rust" });
    expect(config.demo).toBe(false);
    expect(loadConfig({ env: { MASTODON_TOKEN: "t" }, argv: ["--demo"] }).demo).toBe(true);
  });

  it("reports every problem at once", () => {
    let error: unknown;
    try {
      loadConfig({
        env: { TOP_N: "abc", WINDOWS: "5m,forever", MASTODON_URL: "ftp://x", HTTP_PORT: "70000", MASTODON_STREAM: "home" },
        argv: ["--trigger", "soon", "--bogus", "1"],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "unknown option --bogus",
      "MASTODON_URL must be an http(s) URL",
      'MASTODON_STREAM: "home" is not one of public, public:local, public:remote, hashtag:<tag>',
      "HTTP_PORT: must be at most 65535",
      'TRIGGER_INTERVAL: "soon" is not a duration (e.g. "10 seconds", "500ms", "2s", "1 minute")',
      'WINDOWS: "forever" is neither "complete" nor a duration',
      "TOP_N: must be a whole number from 1 to 1000",
    ]);
  });

  it("refuses a trigger outside 100 ms .. 1 hour and a window shorter than the trigger", () => {
    expect(() => loadConfig({ env: { TRIGGER_INTERVAL: "50ms" } })).toThrow("TRIGGER_INTERVAL must be between 100ms and 1 hour");
    expect(() => loadConfig({ env: { TRIGGER_INTERVAL: "2h", WINDOWS: "complete" } })).toThrow("TRIGGER_INTERVAL must be between 100ms and 1 hour");
    expect(() => loadConfig({ env: { TRIGGER_INTERVAL: "1 minute", WINDOWS: "30s" } })).toThrow("cannot be shorter than TRIGGER_INTERVAL");
  });

  it("has the account capacity and the trend's defaults, and refuses a baseline shorter than the trend window", () => {
    expect(loadConfig({ env: { MASTODON_TOKEN: "t" } })).toMatchObject({
      accountCapacity: 500_000,
      trend: { windowMs: 3_600_000, baselineMs: 86_400_000, threshold: 5, halfLifeMs: 14_400_000 },
    });
    // The demo's minutes, so that its staged burst trends soon after the start.
    expect(loadConfig({}).trend).toEqual({ windowMs: 60_000, baselineMs: 600_000, threshold: 5, halfLifeMs: 600_000 });
    expect(loadConfig({ argv: ["--trend-window", "5m", "--trend-baseline", "1h"] }).trend).toMatchObject({ windowMs: 300_000, baselineMs: 3_600_000 });
    expect(() => loadConfig({ env: { TREND_WINDOW: "2h", TREND_BASELINE: "1h" } })).toThrow("TREND_BASELINE (3600000 ms) must be at least TREND_WINDOW (7200000 ms)");
    expect(() => loadConfig({ env: { TREND_WINDOW: "1s", TRIGGER_INTERVAL: "10s" } })).toThrow("TREND_WINDOW (1000 ms) cannot be shorter than TRIGGER_INTERVAL");
    // Unset, it stretches to a longer trigger instead of refusing it.
    expect(loadConfig({ env: { TRIGGER_INTERVAL: "1h", WINDOWS: "complete" } }).trend).toMatchObject({ windowMs: 3_600_000, baselineMs: 3_600_000 });
  });

  it("keeps the ten busiest languages unless told otherwise", () => {
    expect(loadConfig({}).languages).toEqual({ kind: "auto", busiest: 10 });
    expect(loadConfig({ env: { LANGUAGES: "en, DE,ja,pt-br,en" } }).languages).toEqual({ kind: "list", codes: ["en", "de", "ja", "pt-br"] });
    expect(loadConfig({ env: { LANGUAGES: "off" } }).languages).toBeUndefined();
    expect(() => loadConfig({ env: { LANGUAGES: "auto:0" } })).toThrow("LANGUAGES: auto:N takes N from 1 to 50");
    expect(() => loadConfig({ env: { LANGUAGES: "english!" } })).toThrow('LANGUAGES: "english!" is not auto:N, off, or a list');
  });

  it("counts by event time with five minutes of lateness unless told otherwise", () => {
    expect(loadConfig({}).eventTime).toEqual({ allowedLatenessMs: 300_000 });
    expect(loadConfig({ argv: ["--allowed-lateness", "30s"] }).eventTime).toEqual({ allowedLatenessMs: 30_000 });
    expect(loadConfig({ env: { TIME: "arrival" } }).eventTime).toBeUndefined();
    expect(() => loadConfig({ env: { TIME: "wall" } })).toThrow('TIME: must be "event" or "arrival"');
  });

  it("takes a display title (flag or variable) and an admin token of at least 16 characters", () => {
    expect(loadConfig({})).toMatchObject({ title: undefined, adminToken: undefined });
    const config = loadConfig({ env: { ADMIN_TOKEN: "0123456789abcdef", TITLE: "Lobby" }, argv: ["--title", "  Hall B  "] });
    expect(config).toMatchObject({ title: "Hall B", adminToken: "0123456789abcdef" });
    expect(() => loadConfig({ env: { ADMIN_TOKEN: "short" } })).toThrow("ADMIN_TOKEN: at least 16 characters");
    expect(() => loadConfig({ env: { TITLE: "x".repeat(81) } })).toThrow("TITLE: at most 80 characters");
  });
});
