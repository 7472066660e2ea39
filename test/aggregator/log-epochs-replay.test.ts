/**
 * A replica's counts are a function of the log: real aggregators in cluster mode fed the same
 * stream messages (no NATS here: the messages are handed to the replica as the stream intake would)
 * send the same frames, and one stopped half-way (final checkpoint) and restarted from its
 * checkpoint's sequence + 1 sends exactly the frames of one that never stopped.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { startAggregator, type Aggregator } from "../../server/aggregator/aggregator.ts";
import { countingHandler } from "../../server/aggregator/intake/line-intake.ts";
import type { StreamMessage } from "../../server/aggregator/log-replica.ts";
import { encodeDeleteLine, encodePlainLine, encodeTagLine, encodeUpdateLine } from "../../shared/line-protocol.ts";
import type { WindowSpec } from "../../shared/window-spec.ts";
import { restoreProblem, type AggregatorState } from "../../server/aggregator/state/aggregator-state.ts";
import { readSavedState } from "../integration/serve-process.ts";
import { testLineSocket } from "../support/line-socket.ts";
import { silentLogger } from "../support/silent-logger.ts";

const T = 1000;
const WINDOWS: readonly WindowSpec[] = [{ kind: "sliding", lengthMs: 5 * T }, { kind: "complete" }];
const B = Date.UTC(2026, 0, 1, 12);

const running: Aggregator[] = [];
afterEach(async () => {
  for (const aggregator of running.splice(0)) await aggregator.close();
});

/** Event time, trend scores and per-language tops: the property below runs with them, whose state must come back too. */
const EVERYTHING = {
  eventTime: { allowedLatenessMs: 1500 },
  trend: { windowMs: 2000, baselineMs: 8000, threshold: 1, halfLifeMs: 4000 },
  languages: { kind: "auto", busiest: 2 } as const,
};

async function replica(dir: string, requested: number[] = [], more: Partial<typeof EVERYTHING> = {}): Promise<{ aggregator: Aggregator; frames: string[] }> {
  const aggregator = await startAggregator({
    config: { ingest: testLineSocket(), triggerMs: T, windows: WINDOWS, topN: 10, checkpoint: { dir, intervalMs: 3_600_000 }, ...more },
    log: silentLogger,
    // The wall clock is far from the log's times: nothing may read it.
    clock: () => 4e12,
    replica: { stream: "TEST", lines: countingHandler({} as never), requestTrigger: (ms) => requested.push(ms) },
  });
  running.push(aggregator);
  const frames: string[] = [];
  aggregator.subscribe((frame) => frames.push(frame));
  return { aggregator, frames };
}

const encoder = new TextEncoder();
function streamOf(entries: ReadonlyArray<readonly [number, string] | readonly [number, "control", object]>): StreamMessage[] {
  return entries.map((entry, index) => ({
    seq: index + 1,
    ts: B + entry[0],
    control: entry[1] === "control",
    data: encoder.encode(entry.length === 3 ? JSON.stringify(entry[2]) : entry[1]),
  }));
}

const post = (id: string, tags: string[], lang?: string): string => encodeTagLine({ tags, id: `https://a.example/${id}`, acct: `${id}@a.example`, ...(lang && { lang }) }).trimEnd();

// Times are from B, a whole second: the first epoch is [B, B + 1000).
const LOG = streamOf([
  [337, post("1", ["rust", "go"])],
  [347, encodePlainLine(["rust", "zig"]).trimEnd()],
  [700, post("2", ["go"])],
  [1200, encodeUpdateLine({ id: "https://a.example/1", tags: ["rust", "elixir"] }).trimEnd()],
  [1300, "control", { kind: "trigger", ms: 500 }],
  [1400, post("3", ["zig"])],
  [2050, "control", { kind: "epoch-end", at: B + 2000 }],
  [2100, encodeDeleteLine("https://a.example/2").trimEnd()],
  [2150, "{not json"],
  [2200, "control", { kind: "nonsense" }],
  // Stamped before the open epoch (a leader with a slower clock): counts in the open epoch.
  [1900, post("4", ["ocaml"])],
  [30_000, post("5", ["rust"])],
  [30_100, "control", { kind: "trigger", ms: 10_000 }],
  [30_200, "control", { kind: "trigger", ms: 2000 }],
  [31_000, post("6", ["go", "rust"])],
  [50_000, "control", { kind: "epoch-end", at: B + 32_500 }],
]);

describe("a replica counting the stream", () => {
  it("ticks at the log's epoch ends, applies trigger changes at the next boundary and takes the posts' times from the log", async () => {
    const { aggregator, frames } = await replica(mkdtempSync(join(tmpdir(), "replica-")));
    const replica0 = aggregator.replica;
    expect(replica0).toBeDefined();
    for (const message of LOG) replica0?.apply(message);
    const snapshots = frames.filter((f) => f.startsWith('{"type":"snapshot"')).map((f) => JSON.parse(f) as { epoch: number; at: string });
    const at = (ms: number): string => new Date(B + ms).toISOString();
    // 1000 by the update; 2000 by the marker, then the 500 ms trigger; 2500 by the post at 30 000,
    // then K = 5 s / 500 ms = 10 empty epochs one by one and one tick at 30 000; 30 500 by the post
    // at 31 000, then the 2 s trigger (10 s, longer than the 5 s window, was refused); 32 500 by the
    // marker, then K = 2 empty epochs and one tick at 48 500.
    const expected = [1000, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000, 6500, 7000, 7500, 30_000, 30_500, 32_500, 34_500, 36_500, 48_500];
    expect(snapshots.map((s) => s.at)).toEqual(expected.map(at));
    expect(snapshots.map((s) => s.epoch)).toEqual(expected.map((_, i) => i + 1));
    expect(frames.filter((f) => f.startsWith('{"type":"hello"')).map((f) => (JSON.parse(f) as { triggerMs: number }).triggerMs)).toEqual([1000, 500, 2000]);
    expect(aggregator.hello().startedAt).toBe(new Date(B).toISOString());
    expect(replica0?.counts).toEqual({ applied: 16, replayed: 0, closedByMarker: 5, closedByMessage: 14, badControl: 2, skipped: 0 });
    // At 48 500 the 5 s window holds empty epochs only.
    expect(aggregator.countsOf("rust").windows).toEqual({ "5s": 0, complete: 4 });
    expect(aggregator.countsOf("go").windows).toEqual({ "5s": 0, complete: 1 });
    expect(aggregator.countsOf("ocaml").windows).toEqual({ "5s": 0, complete: 1 });
    expect(aggregator.countsOf("elixir").windows).toEqual({ "5s": 0, complete: 1 });
    expect(aggregator.stats.rejected.get("invalid-json")).toBe(1);
  });

  it("restarted from its checkpoint at any message, sends exactly the frames of a replica that never stopped", async () => {
    const whole = await replica(mkdtempSync(join(tmpdir(), "replica-")));
    for (const message of LOG) whole.aggregator.replica?.apply(message);
    for (const cut of [1, 4, 7, 11, 13, 15]) {
      const dir = mkdtempSync(join(tmpdir(), "replica-"));
      const first = await replica(dir);
      for (const message of LOG.slice(0, cut)) first.aggregator.replica?.apply(message);
      running.splice(running.indexOf(first.aggregator), 1);
      await first.aggregator.close();
      const second = await replica(dir);
      expect(second.aggregator.replica?.seq).toBe(cut);
      // The stream delivers from seq + 1; an overlap would be skipped.
      for (const message of LOG.slice(cut - 1)) second.aggregator.replica?.apply(message);
      expect(second.aggregator.replica?.counts.skipped).toBe(1);
      expect([...first.frames, ...second.frames]).toEqual(whole.frames);
      expect(second.aggregator.latest().json).toBe(whole.aggregator.latest().json);
      for (const tag of ["rust", "go", "zig", "elixir", "ocaml"]) expect(second.aggregator.countsOf(tag)).toEqual(whole.aggregator.countsOf(tag));
    }
  });

  it("takes only a checkpoint of its own stream, and one machine takes none of a stream", async () => {
    const dir = mkdtempSync(join(tmpdir(), "replica-"));
    const first = await replica(dir);
    for (const message of LOG.slice(0, 5)) first.aggregator.replica?.apply(message);
    running.splice(running.indexOf(first.aggregator), 1);
    await first.aggregator.close();
    const state = await readSavedState(dir);
    const configured = { windows: ["5s", "complete"], capacity: undefined };
    expect(state?.stream).toEqual({ stream: "TEST", seq: 5, origin: B, epochs: { start: B + 1000, triggerMs: 1000, nextTriggerMs: 500 } });
    expect(restoreProblem(state, configured, "TEST")).toBeUndefined();
    expect(restoreProblem(state, configured, "OTHER")).toBe("saved from stream TEST, configured NATS_STREAM=OTHER");
    expect(restoreProblem(state, configured)).toBe("saved from stream TEST in cluster mode, configured without NATS_URL");
    const { stream: _, ...single } = state as AggregatorState;
    expect(restoreProblem(single, configured, "TEST")).toBe("saved on one machine, without a stream position");
    expect(restoreProblem(single, configured)).toBeUndefined();
  });

  it("asks the stream for a trigger change instead of changing its own", async () => {
    const requested: number[] = [];
    const { aggregator } = await replica(mkdtempSync(join(tmpdir(), "replica-")), requested);
    expect(aggregator.setTriggerInterval(500)).toBeUndefined();
    expect(aggregator.setTriggerInterval(10 * T)).toBe("must not be longer than the shortest sliding window (5s)");
    expect(requested).toEqual([500]);
    expect(aggregator.hello().triggerMs).toBe(T);
  });
});

describe("a replica counting any stream", () => {
  const message = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("post" as const), post: fc.integer({ min: 0, max: 30 }), tags: fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e"), { minLength: 1, maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("edit" as const), post: fc.integer({ min: 0, max: 30 }), tags: fc.uniqueArray(fc.constantFrom("a", "b", "f"), { minLength: 1, maxLength: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), post: fc.integer({ min: 0, max: 30 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("plain" as const), tags: fc.uniqueArray(fc.constantFrom("a", "c", "g"), { minLength: 1, maxLength: 2 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("marker" as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("trigger" as const), ms: fc.constantFrom(250, 500, 1000, 2000, 9000) }) },
  );
  const timed = fc.record({ gap: fc.integer({ min: -400, max: 3000 }), message });

  it("restarted from its checkpoint after any message sends the frames of one that never stopped (event time, accounts, trends, languages)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(timed, { minLength: 1, maxLength: 40 }), fc.nat(), async (entries, cutSeed) => {
        let ts = B + 123;
        let openEnd = 0;
        const log = streamOf(
          entries.map(({ gap, message: m }): readonly [number, string] | readonly [number, "control", object] => {
            ts += gap;
            const at = ts - B;
            switch (m.kind) {
              case "post":
                // Written up to 4 s before it reached the stream: some late, some before the window.
                return [at, encodeTagLine({ tags: m.tags, id: `https://a.example/${m.post}`, acct: `${m.post % 4}@a.example`, ts: ts - ((m.post * 137) % 4000), lang: ["en", "de", "ja"][m.post % 3] as string }).trimEnd()];
              case "edit":
                return [at, encodeUpdateLine({ id: `https://a.example/${m.post}`, tags: m.tags }).trimEnd()];
              case "delete":
                return [at, encodeDeleteLine(`https://a.example/${m.post}`).trimEnd()];
              case "plain":
                return [at, encodePlainLine(m.tags).trimEnd()];
              case "marker":
                // A marker for some epoch end at or before its own time, as the stream would stamp it.
                openEnd = Math.floor(ts / 250) * 250;
                return [at, "control", { kind: "epoch-end", at: openEnd }];
              case "trigger":
                return [at, "control", { kind: "trigger", ms: m.ms }];
            }
          }),
        );
        const whole = await replica(mkdtempSync(join(tmpdir(), "replica-")), [], EVERYTHING);
        for (const m of log) whole.aggregator.replica?.apply(m);
        const cut = 1 + (cutSeed % log.length);
        const dir = mkdtempSync(join(tmpdir(), "replica-"));
        const first = await replica(dir, [], EVERYTHING);
        for (const m of log.slice(0, cut)) first.aggregator.replica?.apply(m);
        running.splice(running.indexOf(first.aggregator), 1);
        await first.aggregator.close();
        const second = await replica(dir, [], EVERYTHING);
        for (const m of log.slice(cut)) second.aggregator.replica?.apply(m);
        expect([...first.frames, ...second.frames]).toEqual(whole.frames);
        // Before its first tick, a restored replica's snapshot lists the languages and refusals as of
        // the restore, not as of the last tick: the counts and tops are the same either way.
        const [restored, original] = [second.aggregator.latest().snapshot, whole.aggregator.latest().snapshot];
        if (second.frames.some((frame) => frame.startsWith('{"type":"snapshot"'))) expect(restored).toEqual(original);
        else expect({ ...restored, languages: [], stats: { ...restored.stats, rejected: 0 } }).toEqual({ ...original, languages: [], stats: { ...original.stats, rejected: 0 } });
        for (const tag of ["a", "b", "c", "f", "g"]) expect(second.aggregator.countsOf(tag)).toEqual(whole.aggregator.countsOf(tag));
        for (const lang of ["en", "de", "ja"]) expect(second.aggregator.top("complete", 10, "posts", lang)).toEqual(whole.aggregator.top("complete", 10, "posts", lang));
        for (const aggregator of running.splice(0)) await aggregator.close();
      }),
      { numRuns: 50 },
    );
  }, 120_000);
});
