import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config/config.ts";
import { configProblems } from "../support/config-problems.ts";

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
      '--trigger: "soon" is not a duration (e.g. "10 seconds", "500ms", "2s", "1 minute")',
      'WINDOWS: "forever" is neither "complete" nor a duration',
      "TOP_N: must be a whole number from 1 to 1000",
    ]);
  });

  it("refuses a trigger outside 100 ms .. 1 hour and a window shorter than the trigger", () => {
    expect(() => loadConfig({ env: { TRIGGER_INTERVAL: "50ms" } })).toThrow("TRIGGER_INTERVAL must be between 100ms and 1 hour");
    expect(() => loadConfig({ env: { TRIGGER_INTERVAL: "2h", WINDOWS: "complete" } })).toThrow("TRIGGER_INTERVAL must be between 100ms and 1 hour");
    expect(() => loadConfig({ env: { TRIGGER_INTERVAL: "1 minute", WINDOWS: "30s" } })).toThrow("cannot be shorter than TRIGGER_INTERVAL");
  });

  it("pins the demo server's token with DEMO_TOKEN", () => {
    expect(loadConfig({}).demoServer.token).toBeUndefined();
    expect(loadConfig({ env: { DEMO_TOKEN: "fixed-demo-token" } }).demoServer).toEqual({ rate: 20, port: 4000, seed: 1, token: "fixed-demo-token" });
    expect(configProblems({ argv: ["--demo-token", "two words"] })).toEqual(["--demo-token: printable ASCII characters only, no spaces"]);
  });

  it("names the flag, not the variable, for a value given as a flag", () => {
    expect(configProblems({ argv: ["--top-n", "0"] })).toEqual(["--top-n: must be at least 1"]);
    expect(configProblems({ env: { TOP_N: "0" } })).toEqual(["TOP_N: must be at least 1"]);
    expect(configProblems({ argv: ["--mastodon-url", "ftp://x"], env: { MASTODON_TOKEN: "t" } })).toEqual(["--mastodon-url must be an http(s) URL"]);
  });

  it("echoes durations as given in conflicts, not in milliseconds", () => {
    expect(configProblems({ env: { TRIGGER_INTERVAL: "1 minute", WINDOWS: "1.5s,complete" } })).toEqual([
      "WINDOWS: a sliding window (1.5s) cannot be shorter than TRIGGER_INTERVAL (1 minute)",
    ]);
    expect(configProblems({ argv: ["--trigger", "2s", "--windows", "1500ms"] })).toEqual([
      "--windows: a sliding window (1500ms) cannot be shorter than --trigger (2s)",
    ]);
  });

  it("refuses the same window twice, however it is written", () => {
    expect(configProblems({ argv: ["--windows", "5m,5m"] })).toEqual(['--windows: "5m" is listed twice']);
    expect(configProblems({ env: { WINDOWS: "300s,5m,complete" } })).toEqual(['WINDOWS: "300s" and "5m" are the same window']);
    expect(configProblems({ env: { WINDOWS: "complete,1h,complete" } })).toEqual(['WINDOWS: "complete" is listed twice']);
  });

  it("reports a bad value together with the problems of the rest", () => {
    expect(configProblems({ env: { TOP_N: "0", MASTODON_URL: "https://a.example,https://b.example", MASTODON_TOKEN_A_EXAMPLE: "t" } })).toEqual([
      "TOP_N: must be at least 1",
      'no token for b.example: set MASTODON_TOKEN_B_EXAMPLE or MASTODON_TOKEN (README: "Getting a Mastodon token")',
    ]);
    expect(configProblems({ env: { TOP_N: "0", INGEST_HOST: "0.0.0.0", RECONNECT_BASE: "10s", RECONNECT_CAP: "1s" } })).toEqual([
      "TOP_N: must be at least 1",
      "RECONNECT_CAP must not be smaller than RECONNECT_BASE",
      "INGEST_HOST 0.0.0.0 is not a loopback address: set INGEST_TOKEN too, so that only your ingestors can send lines",
    ]);
  });

  it("has the account capacity and the trend's defaults, and refuses a baseline shorter than the trend window", () => {
    expect(loadConfig({ env: { MASTODON_TOKEN: "t" } })).toMatchObject({
      accountCapacity: 500_000,
      trend: { windowMs: 3_600_000, baselineMs: 86_400_000, threshold: 5, halfLifeMs: 14_400_000 },
    });
    // The demo's minutes, so that its staged burst trends soon after the start.
    expect(loadConfig({}).trend).toEqual({ windowMs: 60_000, baselineMs: 600_000, threshold: 5, halfLifeMs: 600_000 });
    expect(loadConfig({ argv: ["--trend-window", "5m", "--trend-baseline", "1h"] }).trend).toMatchObject({ windowMs: 300_000, baselineMs: 3_600_000 });
    expect(() => loadConfig({ env: { TREND_WINDOW: "2h", TREND_BASELINE: "1h" } })).toThrow("TREND_BASELINE (1h) must be at least TREND_WINDOW (2h)");
    expect(() => loadConfig({ env: { TREND_WINDOW: "1s", TRIGGER_INTERVAL: "10s" } })).toThrow("TREND_WINDOW (1s) cannot be shorter than TRIGGER_INTERVAL (10s)");
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
