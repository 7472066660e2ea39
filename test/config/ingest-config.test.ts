import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config/config.ts";
import { NO_FILTERS } from "../../server/config/post-filters.ts";
import { configProblems } from "../support/config-problems.ts";

const problems = configProblems;

describe("several Mastodon servers", () => {
  it("gives each listed server its own token, or MASTODON_TOKEN", () => {
    const config = loadConfig({
      env: {
        MASTODON_URL: "https://mastodon.social, https://fosstodon.org/ ,http://127.0.0.1:4000",
        MASTODON_TOKEN: "shared",
        MASTODON_TOKEN_FOSSTODON_ORG: "foss",
        MASTODON_TOKEN_127_0_0_1_4000: "local",
      },
    });
    expect(config.mastodon.instances).toEqual([
      { url: "https://mastodon.social", host: "mastodon.social", token: "shared", streamingUrl: undefined },
      { url: "https://fosstodon.org", host: "fosstodon.org", token: "foss", streamingUrl: undefined },
      { url: "http://127.0.0.1:4000", host: "127.0.0.1:4000", token: "local", streamingUrl: undefined },
    ]);
    expect(config.mastodon).toMatchObject({ url: "https://mastodon.social", token: "shared" });
    expect(config.demo).toBe(false);
  });

  it("runs live with per-server tokens alone, and demands one for every server", () => {
    expect(loadConfig({ env: { MASTODON_URL: "https://a.example", MASTODON_TOKEN_A_EXAMPLE: "t" } }).demo).toBe(false);
    expect(problems({ env: { MASTODON_URL: "https://a.example,https://b.example", MASTODON_TOKEN_A_EXAMPLE: "t" } })).toEqual([
      'no token for b.example: set MASTODON_TOKEN_B_EXAMPLE or MASTODON_TOKEN (README: "Getting a Mastodon token")',
    ]);
  });

  it("needs no token for the demo or a replay", () => {
    expect(loadConfig({ env: { MASTODON_URL: "https://a.example,https://b.example", DEMO: "true" } }).demo).toBe(true);
    expect(loadConfig({ env: { MASTODON_STREAMING_URL: "wss://streaming.a.example" }, argv: ["--demo"] }).demo).toBe(true);
    const replay = loadConfig({ argv: ["--replay", "day.jsonl", "--speed", "0"], env: { MASTODON_TOKEN_A_EXAMPLE: "t", MASTODON_URL: "https://a.example,https://b.example" } });
    expect(replay.replay).toEqual({ file: "day.jsonl", speed: 0 });
  });

  it("takes a server named without a token for a mistake, not for the demo", () => {
    expect(problems({ env: { MASTODON_URL: "https://a.example" } })).toEqual([
      'no token for a.example: set MASTODON_TOKEN_A_EXAMPLE or MASTODON_TOKEN (README: "Getting a Mastodon token")',
    ]);
    expect(problems({ argv: ["--mastodon-url", "http://127.0.0.1:4000"], envFile: "MASTODON_TOKEN=\n" })).toEqual([
      'no token for 127.0.0.1:4000: set MASTODON_TOKEN_127_0_0_1_4000 or MASTODON_TOKEN (README: "Getting a Mastodon token")',
    ]);
    expect(problems({ env: { MASTODON_STREAMING_URL: "wss://streaming.mastodon.social" } })).toEqual([
      'no token for mastodon.social: set MASTODON_TOKEN_MASTODON_SOCIAL or MASTODON_TOKEN (README: "Getting a Mastodon token")',
    ]);
  });

  it("reports bad lists, stray per-server tokens and a streaming URL shared by several servers", () => {
    expect(
      problems({
        env: {
          MASTODON_URL: "https://a.example,ftp://b.example,https://a.example",
          MASTODON_TOKEN: "t",
          MASTODON_TOKEN_C_EXAMPLE: "x",
        },
      }),
    ).toEqual(['MASTODON_URL: "ftp://b.example" is not an http(s) URL', "MASTODON_URL: a.example is listed twice"]);
    expect(
      problems({
        env: {
          MASTODON_URL: "https://a.example,https://b.example",
          MASTODON_TOKEN: "t",
          MASTODON_TOKEN_C_EXAMPLE: "x",
          MASTODON_STREAMING_URL: "wss://streaming.a.example",
        },
      }),
    ).toEqual([
      "MASTODON_TOKEN_C_EXAMPLE names no server of MASTODON_URL (expected one of MASTODON_TOKEN_A_EXAMPLE, MASTODON_TOKEN_B_EXAMPLE)",
      "MASTODON_STREAMING_URL can only be used with a single server in MASTODON_URL",
    ]);
  });
});

describe("filters", () => {
  it("parses every list, normalising tags and lower-casing the rest", () => {
    const { filters } = loadConfig({
      env: {
        FILTER_LANGUAGES: "EN, de,pt-BR",
        FILTER_BLOCK_TAGS: "#NSFW, Café, *Porn*, crypto?",
        FILTER_BLOCK_ACCOUNTS: "@Spammer@Bad.Example, bot@x.example",
        FILTER_BLOCK_INSTANCES: "Spam.Example",
        FILTER_SKIP_SENSITIVE: "true",
        FILTER_SKIP_BOTS: "1",
      },
    });
    expect(filters).toEqual({
      languages: ["en", "de", "pt-br"],
      blockedTags: ["nsfw", "cafe"],
      blockedTagPatterns: ["*porn*", "crypto?"],
      blockedAccounts: ["spammer@bad.example", "bot@x.example"],
      blockedInstances: ["spam.example"],
      skipSensitive: true,
      skipBots: true,
    });
  });

  it("filters nothing by default", () => {
    expect(loadConfig({}).filters).toEqual(NO_FILTERS);
  });

  it("reports every bad entry", () => {
    expect(
      problems({
        env: {
          FILTER_LANGUAGES: "english",
          FILTER_BLOCK_TAGS: "!!!,**",
          FILTER_BLOCK_ACCOUNTS: "nobody",
          FILTER_BLOCK_INSTANCES: "not a domain",
          FILTER_SKIP_BOTS: "perhaps",
        },
      }),
    ).toEqual([
      'FILTER_LANGUAGES: "english" is not a language code such as en or pt-br',
      'FILTER_BLOCK_TAGS: "!!!" is not a hashtag',
      'FILTER_BLOCK_TAGS: "**" would block every tag',
      'FILTER_BLOCK_ACCOUNTS: "nobody" is not user@domain',
      'FILTER_BLOCK_INSTANCES: "not a domain" is not a domain',
      expect.stringMatching(/^FILTER_SKIP_BOTS: /),
    ]);
  });
});

describe("staying connected, memory, record and replay, output", () => {
  it("has documented defaults", () => {
    const config = loadConfig({});
    expect(config.mastodon.silenceTimeoutMs).toBe(75_000);
    expect(config.reconnect).toEqual({ baseMs: 250, capMs: 30_000 });
    expect(config.postMemory).toEqual({ maxEntries: 100_000, maxAgeMs: 3_600_000 });
    expect(config.postMemoryBytes).toBe(64 * 1024 * 1024);
    expect(config.output).toEqual({ listenPort: undefined, format: "json" });
    expect(config.record).toBeUndefined();
    expect(config.replay).toBeUndefined();
  });

  it("reads the Spark-compatible mode and the recording flags", () => {
    const spark = loadConfig({ argv: ["--listen", "9876", "--format", "plain"] });
    expect(spark.output).toEqual({ listenPort: 9876, format: "plain" });
    expect(loadConfig({ argv: ["--record", "day.jsonl"] }).record).toBe("day.jsonl");
    expect(loadConfig({ argv: ["--replay", "day.jsonl"] }).replay).toEqual({ file: "day.jsonl", speed: 1 });
    const tuned = loadConfig({ env: { MASTODON_SILENCE_TIMEOUT: "2 minutes", RECONNECT_BASE: "1s", RECONNECT_CAP: "1 minute", POST_MEMORY: "6h", POST_MEMORY_ENTRIES: "5000" } });
    expect(tuned.mastodon.silenceTimeoutMs).toBe(120_000);
    expect(tuned.reconnect).toEqual({ baseMs: 1000, capMs: 60_000 });
    expect(tuned.postMemory).toEqual({ maxEntries: 5000, maxAgeMs: 21_600_000 });
    expect(loadConfig({ env: { POST_MEMORY_BYTES: "256MiB" } }).postMemoryBytes).toBe(256 * 1024 * 1024);
    expect(problems({ env: { POST_MEMORY_BYTES: "1KiB" } })).toHaveLength(1);
  });

  it("refuses contradictions and values out of range", () => {
    expect(problems({ argv: ["--record", "a.jsonl", "--replay", "b.jsonl"] })).toEqual(["--record and --replay cannot be combined"]);
    expect(problems({ argv: ["--speed", "2"] })).toEqual(["--speed only applies to --replay"]);
    expect(problems({ argv: ["--format", "xml", "--listen", "70000", "--silence-timeout", "10ms"] })).toEqual([
      "--silence-timeout must be between 31s (longer than Mastodon's 30 s ping) and 1 hour",
      "--listen: must be at most 65535",
      '--format: must be "json" or "plain"',
    ]);
    expect(problems({ env: { RECONNECT_BASE: "10s", RECONNECT_CAP: "1s" } })).toEqual(["RECONNECT_CAP must not be smaller than RECONNECT_BASE"]);
  });

  it("refuses a silence timeout that Mastodon's 30 s ping cannot keep alive", () => {
    expect(problems({ env: { MASTODON_SILENCE_TIMEOUT: "30s" } })).toEqual([
      "MASTODON_SILENCE_TIMEOUT must be between 31s (longer than Mastodon's 30 s ping) and 1 hour",
    ]);
    expect(loadConfig({ env: { MASTODON_SILENCE_TIMEOUT: "31s" } }).mastodon.silenceTimeoutMs).toBe(31_000);
  });
});
