/**
 * The aggregator's state through a checkpoint's serialisation, on scripted timelines: the post
 * ledger (ids, epochs, ages), the sparkline history and the refusal counts come back exactly, and
 * a state saved under other windows or another capacity is refused with a reason.
 */
import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { decodeCheckpointPayload, encodedCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-encoding.ts";
import {
  buildParts,
  captureState,
  startCapture,
  restoredTriggerMs,
  restoreProblem,
  triggerInForce,
  type AggregatorParts,
  type AggregatorState,
  type PartsOptions,
  type SavedSettings,
} from "../../../server/aggregator/state/aggregator-state.ts";
import { ExpiringMap } from "../../../shared/expiring-map.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);

function timeline(postMemory = { maxEntries: 1000, maxAgeMs: 3_600_000 }) {
  const clock = { now: T0 };
  const options: PartsOptions = {
    engine: { windows: [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "complete" }], topN: 5 },
    postMemory,
    clock: () => clock.now,
  };
  const settings: SavedSettings = { windows: ["30s", "complete"], capacity: undefined, topN: 5, configuredTriggerMs: 10_000, triggerMs: 10_000 };
  const tick = (parts: AggregatorParts): void => {
    clock.now += 10 * SECOND;
    const result = parts.engine.tick(clock.now);
    parts.history.record(result.windows, (tag) => parts.engine.countsOf(tag));
  };
  /** What a checkpoint makes of the parts: captured, encoded, read back, restored. */
  const restart = (parts: AggregatorParts): AggregatorParts => {
    const capture = startCapture(parts, settings, clock.now);
    const state = decodeCheckpointPayload(encodedCheckpoint(capture.state)) as AggregatorState;
    capture.release();
    return buildParts(options, clock.now, state);
  };
  const counts = (parts: AggregatorParts, ...tags: string[]) => tags.map((tag) => parts.engine.countsOf(tag));
  return { clock, options, settings, tick, restart, counts, fresh: () => buildParts(options, clock.now) };
}

describe("aggregator state", () => {
  it("keeps the post ledger: deletions and edits after a restart take back from the intervals counted before it", () => {
    const { tick, restart, counts, fresh } = timeline();
    const before = fresh();
    before.posts.post(["old", "shared"], { id: "u1" });
    before.posts.post(["kept"], { id: "u2" });
    tick(before);
    before.posts.post(["late"], { id: "u3" });
    before.posts.post(["late"], { id: "u3" });
    before.posts.update("u2", ["kept", "added"]);
    before.posts.delete("nobody");
    const after = restart(before);
    expect(after.posts.stats).toEqual({ held: 3, repeated: 1, edits: 1, deletes: 0, unknown: 1 });

    tick(after);
    after.posts.delete("u1");
    after.posts.update("u2", ["added"]);
    after.posts.delete("u3");
    tick(after);
    expect(counts(after, "old", "shared", "kept", "added", "late")).toEqual([
      { "30s": 0, complete: 0 },
      { "30s": 0, complete: 0 },
      { "30s": 0, complete: 0 },
      { "30s": 1, complete: 1 },
      { "30s": 0, complete: 0 },
    ]);
    expect(after.posts.stats).toEqual({ held: 1, repeated: 1, edits: 2, deletes: 2, unknown: 1 });
  });

  it("keeps each post's age: one remembered for a minute is forgotten a minute after it was first seen", () => {
    const { clock, tick, restart, counts, fresh } = timeline({ maxEntries: 1000, maxAgeMs: 60 * SECOND });
    const before = fresh();
    before.posts.post(["early"], { id: "u1" });
    tick(before);
    clock.now += 20 * SECOND;
    before.posts.post(["later"], { id: "u2" });
    const after = restart(before);
    clock.now += 20 * SECOND;
    tick(after);
    // u1 was first seen 60 s ago: forgotten, so its deletion changes nothing; u2 is 30 s old.
    after.posts.delete("u1");
    after.posts.delete("u2");
    tick(after);
    expect(counts(after, "early", "later")).toEqual([
      { "30s": 0, complete: 1 },
      { "30s": 0, complete: 0 },
    ]);
    expect(after.posts.stats).toMatchObject({ held: 0, deletes: 1, unknown: 1 });
  });

  it("keeps the sparkline history and the intake's refusal counts", () => {
    const { tick, restart, fresh } = timeline();
    const before = fresh();
    before.engine.ingest(["rust", "rust"]);
    tick(before);
    before.engine.ingest(["rust"]);
    tick(before);
    before.stats.reject("invalid-json");
    before.stats.reject("invalid-json");
    before.stats.reject("too-long");
    before.stats.invalidTags = 4;
    before.stats.longTags = 2;
    const after = restart(before);
    expect(after.history.of("rust", "complete")).toEqual([2, 3]);
    expect(after.history.of("rust", "30s")).toEqual([2, 3]);
    tick(after);
    expect(after.history.of("rust", "complete")).toEqual([2, 3, 3]);
    expect([...after.stats.rejected]).toEqual([
      ["invalid-json", 2],
      ["too-long", 1],
    ]);
    expect(after.stats.rejectedTotal).toBe(3);
    expect(after.stats.invalidTags).toBe(4);
    expect(after.stats.longTags).toBe(2);
  });

  it("captures a copy: what happens after the capture is not in it", () => {
    const { clock, settings, tick, counts, options, fresh } = timeline();
    const parts = fresh();
    parts.posts.post(["a"], { id: "u1" });
    tick(parts);
    const state = captureState(parts, settings, clock.now);
    parts.posts.update("u1", ["a", "b"]);
    parts.engine.ingest(["c"]);
    tick(parts);
    const restored = buildParts(options, clock.now, state);
    tick(restored);
    expect(counts(restored, "a", "b", "c")).toEqual([
      { "30s": 1, complete: 1 },
      { "30s": 0, complete: 0 },
      { "30s": 0, complete: 0 },
    ]);
    expect(restored.history.of("a", "complete")).toEqual([1, 1]);
  });

  it("refuses a state saved under other windows or another capacity, with the reason", () => {
    const { clock, settings, fresh } = timeline();
    const state = captureState(fresh(), settings, clock.now);
    expect(restoreProblem(state, { windows: ["30s", "complete"], capacity: undefined })).toBeUndefined();
    expect(restoreProblem(state, { windows: ["1m", "complete"], capacity: undefined })).toBe(
      "saved with WINDOWS=30s,complete, configured WINDOWS=1m,complete",
    );
    expect(restoreProblem(state, { windows: ["30s", "complete"], capacity: 1000 })).toBe(
      "saved with ENGINE_CAPACITY=none, configured ENGINE_CAPACITY=1000",
    );
    expect(restoreProblem({ ...state, version: 2 }, { windows: ["30s", "complete"], capacity: undefined })).toBe(
      "checkpoint format 2; this version reads 1",
    );
    expect(restoreProblem({ epoch: 1 }, { windows: ["30s", "complete"], capacity: undefined })).toBe("not an aggregator checkpoint");
  });

  it("refuses a state whose hash was fine but whose shape is not this version's, naming the field", () => {
    const { clock, settings, fresh } = timeline();
    const parts = fresh();
    parts.posts.post(["a", "b"], { id: "https://a.example/1" });
    const state = captureState(parts, settings, clock.now);
    const configured = { windows: ["30s", "complete"], capacity: undefined };
    const { engine, posts, ...withoutEngine } = state;
    expect(restoreProblem(withoutEngine, configured)).toBe("malformed checkpoint (engine: Invalid input: expected object, received undefined)");
    expect(restoreProblem({ ...state, engine: { ...engine, version: 3 } }, configured)).toBe("engine state format 3; this version reads 2");
    // A state saved before accounts, the trend and event time were (engine state 1) is refused too.
    expect(restoreProblem({ ...state, engine: { ...engine, version: 1 } }, configured)).toBe("engine state format 1; this version reads 2");
    const { posts: _, ...withoutPosts } = state;
    expect(restoreProblem(withoutPosts, configured)).toBe("malformed checkpoint (posts: Invalid input: expected object, received undefined)");
    expect(restoreProblem({ ...state, posts: { ...posts, accts: ["someone@a.example", "someone@b.example"] } }, configured)).toBe(
      "malformed checkpoint (posts: post ids, authors and languages differ in length)",
    );
    expect(restoreProblem({ ...state, engine: { ...engine, open: { ids: new Uint32Array(2), deltas: new Float64Array(1) } } }, configured)).toBe(
      "malformed checkpoint (engine.open: open ids and deltas differ in length)",
    );
    expect(restoreProblem({ ...state, posts: { ...posts, tags: ["a"] } }, configured)).toBe(
      "malformed checkpoint (posts: post tags and epochs differ in length)",
    );
    expect(restoreProblem({ ...state, engine: { ...engine, lines: "12" } }, configured)).toBe(
      "malformed checkpoint (engine.lines: Invalid input: expected number, received string)",
    );
    expect(restoreProblem({ ...state, settings: { ...settings, windows: "30s,complete" } }, configured)).toBe(
      "malformed checkpoint (settings.windows: Invalid input: expected array, received string)",
    );
    // Language tops: each language's engine is checked as the main one is.
    const languages = { choice: "de", tally: [], followed: [{ lang: "de", offset: 0, engine: { ...engine, lines: -1 } }] };
    expect(restoreProblem({ ...state, languages }, configured)).toBe(
      "malformed checkpoint (languages.followed.0.engine.lines: Too small: expected number to be >=0)",
    );
    // Through a checkpoint's serialisation, a whole state passes.
    expect(restoreProblem(deserialize(serialize(state)), configured)).toBeUndefined();
  });

  it("keeps a trigger interval changed at run time, unless TRIGGER_INTERVAL was changed since", () => {
    const saved = { windows: ["15m"], capacity: undefined, topN: 5, configuredTriggerMs: 10_000, triggerMs: 2_000 };
    expect(restoredTriggerMs(saved, 10_000)).toBe(2_000);
    expect(restoredTriggerMs(saved, 5_000)).toBe(5_000);
  });

  it("says which trigger interval applies and why", () => {
    const saved = { windows: ["15m"], capacity: undefined, topN: 5, configuredTriggerMs: 2_000, triggerMs: 500 };
    expect(triggerInForce(undefined, 2_000)).toEqual({ ms: 2_000, why: "TRIGGER_INTERVAL 2s" });
    expect(triggerInForce({ ...saved, triggerMs: 2_000 }, 2_000)).toEqual({ ms: 2_000, why: "TRIGGER_INTERVAL 2s" });
    expect(triggerInForce(saved, 2_000)).toEqual({ ms: 500, why: "restored from checkpoint: changed at run time; TRIGGER_INTERVAL 2s" });
    expect(triggerInForce(saved, 5_000)).toEqual({
      ms: 5_000,
      why: "TRIGGER_INTERVAL 5s, changed since the checkpoint: the 500ms set at run time is dropped",
    });
    expect(triggerInForce({ ...saved, triggerMs: 5 }, 2_000)).toEqual({ ms: 2_000, why: "TRIGGER_INTERVAL 2s; the checkpoint's 5ms is out of bounds" });
  });
});

describe("ExpiringMap entries and load", () => {
  it("gives back every entry with its age, and a loaded map forgets each when the original would have", () => {
    const original = new ExpiringMap<string, number>({ maxEntries: 10, maxAgeMs: 100 });
    original.set("a", 1, 0);
    original.set("b", 2, 50);
    original.set("a", 3, 60);
    expect(original.entries()).toEqual([
      { key: "a", value: 3, since: 0 },
      { key: "b", value: 2, since: 50 },
    ]);
    const loaded = new ExpiringMap<string, number>({ maxEntries: 10, maxAgeMs: 100 });
    loaded.load(original.entries());
    expect(loaded.get("a", 99)).toBe(3);
    expect(loaded.get("a", 100)).toBeUndefined();
    expect(loaded.get("b", 149)).toBe(2);
    expect(() => loaded.load([])).toThrow("load fills an empty map only");
  });

  it("keeps the newest entries when loaded into a smaller map", () => {
    const loaded = new ExpiringMap<string, number>({ maxEntries: 2, maxAgeMs: 1000 });
    loaded.load([
      { key: "a", value: 1, since: 0 },
      { key: "b", value: 2, since: 1 },
      { key: "c", value: 3, since: 2 },
    ]);
    expect(loaded.entries().map((e) => e.key)).toEqual(["b", "c"]);
  });
});
