/** What a screen says when nothing feeds it: its freshness level and its source caption. */
import { describe, expect, it } from "vitest";
import { freshnessOf } from "../../web/src/lib/freshness.ts";
import { NO_SOURCE, sourceCaption } from "../../web/src/lib/source-caption.ts";

describe("no source connected", () => {
  it("is its own level: not live, and distinct from late and down", () => {
    expect(freshnessOf("open", 500, 1000, 0)).toBe("unfed");
    expect(freshnessOf("open", 500, 1000, 2)).toBe("live");
    // Before the first snapshot nothing is known about ingestors.
    expect(freshnessOf("open", undefined, 1000, undefined)).toBe("live");
    // A late snapshot's own count may be out of date: late says more.
    expect(freshnessOf("open", 2001, 1000, 0)).toBe("late");
    expect(freshnessOf("reconnecting", 500, 1000, 0)).toBe("down");
    expect(freshnessOf("connecting", undefined, undefined, 0)).toBe("connecting");
  });

  it("names no source instead of a server or Mastodon when no ingestor is connected", () => {
    expect(sourceCaption({ source: "live", instances: [], ingestors: 0 })).toBe("no source connected");
    expect(NO_SOURCE).toBe("no source connected");
    expect(sourceCaption({ source: "demo", instances: ["demo.example"], ingestors: 0 })).toBe("no source connected");
    expect(sourceCaption({ source: "live", instances: ["a.example", "b.example"], ingestors: 2 })).toBe("a.example, b.example");
    expect(sourceCaption({ source: "demo", instances: ["demo.example"], ingestors: 1 })).toBe("simulated stream");
    expect(sourceCaption({ source: "live", instances: [], ingestors: undefined })).toBe("Mastodon");
  });
});
