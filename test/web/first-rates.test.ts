/** The rate tiles from a page's first snapshot on: the ingestors' own figures, when they report. */
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type IngestReport, type Snapshot } from "../../shared/messages.ts";
import { shownRates, statValue } from "../../web/src/lib/stat-values.ts";

const REPORT: IngestReport = {
  statuses: 900,
  forwarded: 400,
  tags: 1200,
  edits: 0,
  deletes: 0,
  statusesPerSecond: 12.5,
  tagsPerSecond: 31.25,
  reconnects: 0,
  duplicates: 0,
  filtered: {},
  queued: 0,
  dropped: 0,
  connected: 1,
};

function snapshot(ingestors: number, ingest?: IngestReport): Snapshot {
  return {
    type: "snapshot",
    v: PROTOCOL_VERSION,
    epoch: 7,
    at: "2026-11-21T10:00:00.000Z",
    triggerMs: 10_000,
    source: "live",
    instances: [],
    windows: [{ window: "15m", top: [] }],
    stats: { lines: 400, tags: 1200, distinct: 90, rejected: 0, ingestors },
    ...(ingest !== undefined && { ingest }),
  };
}

describe("rates from the first snapshot", () => {
  it("shows the ingestors' reported rates before any have been measured", () => {
    const first = snapshot(1, REPORT);
    expect(shownRates(first, undefined)).toEqual({ postsPerSecond: 12.5, hashtagsPerSecond: 31.25 });
    const inputs = { snapshot: first, rates: undefined, startedAt: undefined, ageMs: 0 };
    expect(statValue("postsPerSecond", inputs)).toBe("12.5");
    expect(statValue("hashtagsPerSecond", inputs)).toBe("31.3");
  });

  it("keeps the reported rates while they are reported, and measures only for feeders that report none", () => {
    const measured = { postsPerSecond: 4, hashtagsPerSecond: 9 };
    expect(shownRates(snapshot(1, REPORT), measured)).toEqual({ postsPerSecond: 12.5, hashtagsPerSecond: 31.25 });
    expect(shownRates(snapshot(1), measured)).toEqual(measured);
    expect(shownRates(snapshot(1), undefined)).toBeUndefined();
    expect(statValue("postsPerSecond", { snapshot: snapshot(1), rates: undefined, startedAt: undefined, ageMs: 0 })).toBe("–");
  });
});

describe("the distinct tile", () => {
  const inputs = (estimated: boolean) => {
    const base = snapshot(1);
    return {
      snapshot: { ...base, stats: { ...base.stats, distinct: 3_200_000, ...(estimated && { distinctEstimated: true as const }) } },
      rates: undefined,
      startedAt: undefined,
      ageMs: undefined,
    };
  };

  it("marks an estimate past the capacity with ≈, and shows an exact count plainly", () => {
    expect(statValue("distinct", inputs(true))).toBe(`≈${statValue("distinct", inputs(false))}`);
    expect(statValue("distinct", inputs(false))).not.toContain("≈");
  });
});
