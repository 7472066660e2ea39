/**
 * Following a hashtag whose name has combining marks: Mastodon's streaming server listens on a
 * channel its posts never reach, so the ingestor says so at start, in one warning.
 */
import { describe, expect, it } from "vitest";
import { silentHashtagWarning } from "../../server/ingestor/mastodon/hashtag-channel.ts";
import { captureLog } from "./log-capture.ts";
import { harness, ingestor, simulatedMastodon, target } from "./ingest-fixture.ts";

const WARNING =
  "hashtag:हिन्दी has combining marks, which Mastodon's streaming server drops from the channel name but not from the " +
  "channel its posts go to: this stream will likely receive nothing. Follow MASTODON_STREAM=public (or public:local) instead; " +
  "the tag is counted there too";

describe("hashtag stream with combining marks", () => {
  it("is recognised by its Alphabetic marks (vowel signs, Thai marks), not by a virama alone or a plain tag", () => {
    expect(silentHashtagWarning({ kind: "hashtag", tag: "हिन्दी" })).toBe(WARNING);
    expect(silentHashtagWarning({ kind: "hashtag", tag: "ภาษาไทย่" })).toBeDefined();
    expect(silentHashtagWarning({ kind: "hashtag", tag: "rust" })).toBeUndefined();
    expect(silentHashtagWarning({ kind: "hashtag", tag: "café" })).toBeUndefined();
    expect(silentHashtagWarning({ kind: "hashtag", tag: "क्" })).toBeUndefined();
    expect(silentHashtagWarning({ kind: "public" })).toBeUndefined();
  });

  it("logs the warning once when the ingestor starts following such a tag", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    const captured = captureLog();
    await ingestor([], h.aggregator.intake.port, {
      input: { kind: "live", targets: [target(server)], stream: { kind: "hashtag", tag: "हिन्दी" }, source: "demo" },
      log: captured.log,
    });
    const warnings = captured.entries.filter((entry) => entry.level === 40);
    expect(warnings.map((entry) => [entry.msg, entry.stream])).toEqual([[WARNING, "hashtag:हिन्दी"]]);
  });

  it("says nothing for a plain tag", async () => {
    const h = await harness();
    const server = await simulatedMastodon();
    const captured = captureLog();
    await ingestor([], h.aggregator.intake.port, {
      input: { kind: "live", targets: [target(server)], stream: { kind: "hashtag", tag: "rust" }, source: "demo" },
      log: captured.log,
    });
    expect(captured.entries.filter((entry) => entry.level === 40)).toEqual([]);
  });
});
