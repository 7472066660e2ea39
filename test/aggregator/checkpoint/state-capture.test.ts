/**
 * A checkpoint captured at one instant and read slice by slice while the aggregator goes on
 * counting holds exactly the state of that instant: later lines, new names (also at ids freed by
 * evictions), posts, edits, deletions and ticks in between leak nothing into it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { decodeCheckpointPayload, encodeCheckpoint, encodedCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-encoding.ts";
import { readCheckpoint, writeCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-file.ts";
import {
  buildParts,
  captureState,
  startCapture,
  type AggregatorParts,
  type AggregatorState,
  type PartsOptions,
  type SavedSettings,
} from "../../../server/aggregator/state/aggregator-state.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
/** Small slices, so that even a small state is read in many turns. */
const SLICE = 64;

/**
 * Distinct accounts with a trend on a 20 s window (a column of its own) against a 60 s baseline,
 * event time with 15 s of lateness, and a top per kept language.
 */
const COUNTING_FEATURES = {
  accounts: { capacity: 200, trend: { windowMs: 20 * SECOND, baselineMs: 60 * SECOND, threshold: 1, halfLifeMs: 60 * SECOND } },
  eventTime: { allowedLatenessMs: 15 * SECOND },
} as const;

function timeline(capacity?: number, features = false) {
  const clock = { now: T0 };
  const options: PartsOptions = {
    engine: {
      windows: [{ kind: "sliding", lengthMs: 40 * SECOND }, { kind: "complete" }],
      topN: 5,
      ...(capacity !== undefined && { capacity }),
      ...(features && COUNTING_FEATURES),
    },
    postMemory: { maxEntries: 50, maxAgeMs: 3_600_000 },
    clock: () => clock.now,
    ...(features && { languages: { kind: "list", codes: ["en", "de"] } as const }),
  };
  const settings: SavedSettings = { windows: ["40s", "complete"], capacity, topN: 5, configuredTriggerMs: 10_000, triggerMs: 10_000 };
  const parts = buildParts(options, clock.now);
  const tick = (): void => {
    clock.now += 10 * SECOND;
    const result = parts.engine.tick(clock.now);
    parts.languages?.tick(clock.now, result.epoch);
    parts.history.record(result.windows, (tag) => parts.engine.countsOf(tag));
  };
  let serial = 0;
  /**
   * Lines with new names and old ones, posts with ids, edits and deletions. With the counting
   * features, posts carry an author, a language and a time: now, in a closed interval, or older
   * than the watermark.
   */
  const traffic = (lines: number, into: readonly AggregatorParts[] = [parts]): void => {
    for (let i = 0; i < lines; i++, serial++) for (const parts of into) line(parts);
  };
  const line = (parts: AggregatorParts): void => {
    const tags = [`new${serial}`, `tag${serial % 7}`, `tag${serial % 3}`];
    const ageMs = ([0, 12, 30][serial % 3] as number) * SECOND;
    const meta = features ? { acct: `user${serial % 6}@example.social`, lang: ["en", "de", "fr"][serial % 3] as string, ts: clock.now - ageMs } : {};
    if (serial % 2 === 0) parts.posts.post(tags, { id: `post${serial}`, ...meta });
    else if (features) parts.posts.post(tags, meta);
    else parts.engine.ingest(tags);
    if (serial % 5 === 0) parts.posts.update(`post${serial - 4}`, [`tag${serial % 7}`, `edit${serial}`]);
    if (serial % 9 === 0) parts.posts.delete(`post${serial - 8}`);
    if (serial % 11 === 0) parts.posts.post([`tag${serial % 3}`], { id: `post${serial - 10}` });
  };
  /** The state now, as the synchronous copy has it. */
  const copy = (): AggregatorState => deserialize(serialize(captureState(parts, settings, clock.now))) as AggregatorState;
  return { clock, options, settings, parts, tick, traffic, copy };
}

type Timeline = ReturnType<typeof timeline>;

/** Captures now, reads `early` slices, lets `between` run, reads the rest: the state decoded from them. */
function captureAcross(t: Timeline, early: number, between: () => void): { decoded: AggregatorState; slices: number } {
  const capture = startCapture(t.parts, t.settings, t.clock.now);
  const slices: Uint8Array[] = [];
  const reading = encodeCheckpoint(capture.state, SLICE);
  for (let i = 0; i < early; i++) {
    const next = reading.next();
    if (next.done === true) throw new Error(`the capture was read in ${i} slices`);
    slices.push(Buffer.from(next.value));
  }
  between();
  for (const slice of reading) slices.push(Buffer.from(slice));
  capture.release();
  return { decoded: decodeCheckpointPayload(Buffer.concat(slices)) as AggregatorState, slices: slices.length };
}

describe("a capture read across several turns", () => {
  it("holds the state of its instant when lines, posts, edits and deletions arrive between its slices", () => {
    const t = timeline();
    t.traffic(40);
    t.tick();
    t.traffic(40);
    t.tick();
    t.traffic(15); // an open interval, with retractions of closed ones waiting for the next tick
    const expected = t.copy();
    const { decoded, slices } = captureAcross(t, 20, () => t.traffic(60));
    expect(slices).toBeGreaterThan(40);
    expect(decoded).toEqual(expected);
    // The engine did go on counting.
    expect(t.parts.engine.ingested.lines).toBeGreaterThan(expected.engine.lines + 60);
  });

  it("holds the state of its instant when ticks close intervals, slide the window and apply retractions in between", () => {
    const t = timeline();
    for (let i = 0; i < 6; i++) {
      t.traffic(30);
      t.tick();
    }
    t.traffic(10);
    const expected = t.copy();
    const { decoded } = captureAcross(t, 10, () => {
      t.traffic(30);
      t.tick();
      t.traffic(30);
      t.tick();
    });
    expect(decoded).toEqual(expected);
    expect(t.parts.engine.latest.epoch).toBe(expected.engine.latest.epoch + 2);
  });

  it("holds the state of its instant under a capacity: names evicted, ids freed and given to new names in between", () => {
    const t = timeline(30);
    for (let i = 0; i < 5; i++) {
      t.traffic(30);
      t.tick();
    }
    const expected = t.copy();
    expect(expected.engine.summary).toBeDefined();
    expect(expected.engine.names.free.length).toBeGreaterThan(0);
    // New names take the freed ids while the capture is being read; no tick settles it.
    const { decoded } = captureAcross(t, 3, () => t.traffic(30));
    expect(decoded).toEqual(expected);
    // And with ticks (more evictions, a sweep of the buckets) in between.
    const expectedLater = t.copy();
    const later = captureAcross(t, 3, () => {
      for (let i = 0; i < 3; i++) {
        t.traffic(30);
        t.tick();
      }
    });
    expect(later.decoded).toEqual(expectedLater);
  });

  it("restores to an engine whose counts equal the original's at the instant of the capture", () => {
    const t = timeline();
    for (let i = 0; i < 3; i++) {
      t.traffic(20);
      t.tick();
    }
    t.traffic(5);
    const at = t.clock.now;
    const countsThen = ["tag0", "tag1", "tag2", "new3", "edit5"].map((tag) => t.parts.engine.countsOf(tag));
    const linesThen = t.parts.engine.ingested.lines;
    const restoredState = captureAcross(t, 5, () => {
      t.traffic(20);
      t.tick();
    }).decoded;
    const restored = buildParts(t.options, at, restoredState);
    expect(["tag0", "tag1", "tag2", "new3", "edit5"].map((tag) => restored.engine.countsOf(tag))).toEqual(countsThen);
    expect(restored.engine.ingested.lines).toBe(linesThen);
    expect(t.parts.engine.ingested.lines).toBeGreaterThan(linesThen);
    expect(restored.posts.stats.held).toBe(restoredState.posts.ids.length);
    expect(restored.posts.stats.held).toBeGreaterThan(0);
  });

  it("holds the accounts, the trend's baseline, event time and the posts' authors and languages of its instant", () => {
    const t = timeline(undefined, true);
    for (let i = 0; i < 8; i++) {
      t.traffic(25);
      t.tick();
    }
    t.traffic(15); // posts dated in closed intervals wait for the next tick
    const expected = t.copy();
    // Every piece is there to compare, not absent on both sides.
    expect(expected.engine.accounts?.pairs.length).toBeGreaterThan(0);
    expect(expected.engine.withAccount).toBeGreaterThan(0);
    expect(expected.engine.trend?.slots.length).toBeGreaterThan(0);
    expect(expected.engine.eventTime?.pending.length).toBeGreaterThan(0);
    expect(expected.engine.eventTime?.late).toBeGreaterThan(0);
    expect(expected.posts.accts).toContain("user0@example.social");
    expect(expected.posts.langs).toContain("de");
    expect(expected.languages?.followed.map((f) => f.lang)).toEqual(["en", "de"]);
    expect(expected.languages?.followed.every((f) => f.engine.lines > 0 && (f.engine.eventTime?.pending.length ?? 0) > 0)).toBe(true);
    const { decoded } = captureAcross(t, 10, () => {
      t.traffic(20);
      t.tick();
      t.traffic(20);
    });
    expect(decoded).toEqual(expected);
    expect(t.parts.engine.ingested.withAccount).toBeGreaterThan(expected.engine.withAccount ?? 0);
  });

  it("restores accounts, trend, event time and language tops that go on exactly as the original's from the instant of the capture", () => {
    const t = timeline(undefined, true);
    for (let i = 0; i < 8; i++) {
      t.traffic(25);
      t.tick();
    }
    t.traffic(10); // posts dated in closed intervals, not applied before the next tick
    const at = t.clock.now;
    const tags = ["tag0", "tag1", "tag2", "tag5", "new3"];
    const view = (parts: typeof t.parts) => ({
      counts: tags.map((tag) => parts.engine.countsOf(tag)),
      accounts: tags.map((tag) => parts.engine.accountsOf(tag)),
      trend: tags.map((tag) => parts.engine.trendOf(tag)),
      counters: parts.engine.ingested,
      top: parts.engine.latest,
      languages: ["en", "de"].map((lang) => ["40s", "complete"].map((window) => parts.languages?.top(lang, window, 5))),
      languageCounts: tags.map((tag) => parts.languages?.countsOf(tag)),
    });
    const restoredState = captureAcross(t, 5, () => {}).decoded;
    const restored = buildParts(t.options, at, restoredState);
    expect(restored.engine.ingested).toEqual(t.parts.engine.ingested);
    expect(tags.map((tag) => restored.engine.countsOf(tag))).toEqual(tags.map((tag) => t.parts.engine.countsOf(tag)));
    // The same next tick, the same posts and edits after it, and the next: both engines agree throughout.
    t.tick();
    restored.languages?.tick(t.clock.now, restored.engine.tick(t.clock.now).epoch);
    expect(view(restored)).toEqual(view(t.parts));
    expect(t.parts.engine.accountsOf("tag0")?.["complete"]).toBe(6);
    expect(t.parts.engine.trendOf("tag0")?.observed).toBeGreaterThan(0);
    expect(t.parts.engine.ingested.late).toBeGreaterThan(0);
    expect(t.parts.languages?.top("de", "complete", 5)?.length).toBeGreaterThan(0);
    t.traffic(30, [t.parts, restored]);
    t.tick();
    restored.languages?.tick(t.clock.now, restored.engine.tick(t.clock.now).epoch);
    expect(view(restored)).toEqual(view(t.parts));
    expect(restored.engine.exportState()).toEqual(t.parts.engine.exportState());
    expect(restored.languages?.exportState()).toEqual(t.parts.languages?.exportState());
  });

  it("needs no copy of its own once released: a later tick reads nothing more from it", () => {
    const t = timeline();
    t.parts.engine.ingest(["a", "b"]);
    t.tick();
    const capture = startCapture(t.parts, t.settings, t.clock.now);
    capture.release();
    t.parts.engine.ingest(["a", "b"]);
    t.tick();
    // Read after release and after a tick: the totals are the engine's current ones, not the captured.
    const decoded = decodeCheckpointPayload(encodedCheckpoint(capture.state, SLICE)) as AggregatorState;
    expect(decoded.engine.latest.epoch).toBe(1);
    const complete = decoded.engine.windows.find((w) => w.kind === "complete");
    expect(complete?.kind === "complete" && Array.from(complete.totals)).toEqual([2, 2]);
  });
});

describe("a checkpoint file written while counting goes on", () => {
  it("restores exactly the state of the instant its write began, though lines, posts and ticks ran between its slices", async () => {
    const t = timeline();
    // Enough names that every id-indexed array takes several slices.
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 10_000; j++) t.parts.engine.ingest([`bulk${i}x${j}`, `tag${j % 5}`]);
      t.traffic(20);
      t.tick();
    }
    t.traffic(20);
    const expected = t.copy();
    const dir = mkdtempSync(join(tmpdir(), "state-capture-"));
    const capture = startCapture(t.parts, t.settings, t.clock.now);
    let done = false;
    let turns = 0;
    const writing = writeCheckpoint(dir, capture.state).finally(() => {
      done = true;
      capture.release();
    });
    // Counting goes on in the turns between the write's slices, a trigger among them.
    const counting = (): void => {
      if (done) return;
      t.traffic(5);
      if (++turns === 3) t.tick();
      setImmediate(counting);
    };
    setImmediate(counting);
    await writing;
    expect(turns).toBeGreaterThan(3);
    const read = await readCheckpoint(dir);
    expect(read).toEqual({ kind: "restored", state: expected });
    expect(t.parts.engine.ingested.lines).toBeGreaterThan(expected.engine.lines);
  });
});
