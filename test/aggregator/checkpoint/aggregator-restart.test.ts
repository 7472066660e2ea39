/**
 * A real aggregator closed (final checkpoint) and started again on the same STATE_DIR, on a virtual
 * clock: windows keep sliding by wall time across the downtime, the epoch counter and the history
 * go on, and a checkpoint that cannot be used is moved aside with a warning.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startAggregator, type Aggregator, type AggregatorOptions } from "../../../server/aggregator/aggregator.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";
import type { AggregatorState } from "../../../server/aggregator/state/aggregator-state.ts";
import { CHECKPOINT_FILE, decodeCheckpoint, writeCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-file.ts";
import type { Snapshot } from "../../../shared/messages.ts";
import { captureLog, type CapturedLog } from "../../integration/log-capture.ts";
import { testLineSocket } from "../../support/line-socket.ts";
import { silentLogger } from "../../support/silent-logger.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const T0 = Date.UTC(2026, 0, 1, 12);
const WINDOWS: readonly WindowSpec[] = [{ kind: "sliding", lengthMs: 15 * MINUTE }, { kind: "complete" }];

const running: Aggregator[] = [];
afterEach(async () => {
  for (const aggregator of running.splice(0)) await aggregator.close();
});

function restartable() {
  const dir = mkdtempSync(join(tmpdir(), "aggregator-restart-"));
  const clock = { now: T0 };
  const start = async (config: Partial<AggregatorOptions["config"]> = {}, log: CapturedLog["log"] = silentLogger): Promise<Aggregator> => {
    const aggregator = await startAggregator({
      config: {
        ingest: testLineSocket(),
        triggerMs: 10 * SECOND,
        windows: WINDOWS,
        topN: 5,
        // Only the final checkpoint on close: the test decides when the process "stops".
        checkpoint: { dir, intervalMs: 3_600_000 },
        ...config,
      },
      log,
      clock: () => clock.now,
      autoTick: false,
    });
    running.push(aggregator);
    return aggregator;
  };
  const stop = async (aggregator: Aggregator): Promise<void> => {
    running.splice(running.indexOf(aggregator), 1);
    await aggregator.close();
  };
  return { dir, clock, start, stop };
}

/** Each window's top as `tag: count`. */
const tops = (snapshot: Snapshot): Record<string, Record<string, number>> =>
  Object.fromEntries(snapshot.windows.map((w) => [w.window, Object.fromEntries(w.top.map((e) => [e.tag, e.count]))]));

describe("aggregator restart from its checkpoint", () => {
  it("keeps counting across the downtime: a 15m window slides by wall time, complete keeps everything", async () => {
    const { clock, start, stop } = restartable();
    const before = await start();
    for (let i = 0; i < 3; i++) before.posts.post(["rust", "go"], {});
    clock.now = T0 + 10 * SECOND;
    before.tick();
    // Read but not yet folded in by a tick when the process stops.
    before.posts.post(["rust"], {});
    clock.now = T0 + 15 * SECOND;
    await stop(before);

    clock.now = T0 + 5 * MINUTE;
    const after = await start();
    const first = after.latest().snapshot;
    // Epoch 1 before the stop; 2 closes the saved open interval at the save; 3 is the first tick now.
    expect(first.epoch).toBe(3);
    expect(first.at).toBe(new Date(T0 + 5 * MINUTE).toISOString());
    expect(tops(first)).toEqual({ "15m": { rust: 4, go: 3 }, complete: { rust: 4, go: 3 } });
    expect(first.stats).toMatchObject({ lines: 4, tags: 7, distinct: 2 });

    // The interval closed at 10 s leaves the window at 15m10s; the one saved at 15 s, at 15m15s.
    clock.now = T0 + 15 * MINUTE + 10 * SECOND;
    expect(tops(after.tick().snapshot)).toEqual({ "15m": { rust: 1 }, complete: { rust: 4, go: 3 } });
    clock.now = T0 + 15 * MINUTE + 15 * SECOND;
    expect(tops(after.tick().snapshot)).toEqual({ "15m": {}, complete: { rust: 4, go: 3 } });
    expect(after.latest().snapshot.epoch).toBe(5);
  });

  it("shows an empty 15m window at once after 20 minutes down, and complete with its counts", async () => {
    const { clock, start, stop } = restartable();
    const before = await start();
    before.posts.post(["rust", "go"], {});
    before.posts.post(["rust"], {});
    clock.now = T0 + 10 * SECOND;
    before.tick();
    await stop(before);

    clock.now = T0 + 10 * SECOND + 20 * MINUTE;
    const after = await start();
    const first = after.latest().snapshot;
    expect(first.epoch).toBe(2);
    expect(tops(first)).toEqual({ "15m": {}, complete: { rust: 2, go: 1 } });
    expect(after.countsOf("rust").windows).toEqual({ "15m": 0, complete: 2 });
    // The sparklines go on from where they were.
    expect(first.windows[1]?.top[0]).toMatchObject({ tag: "rust", history: [2, 2] });
  });

  it("takes back, after the restart, what a post deleted then had counted before it", async () => {
    const { clock, start, stop } = restartable();
    const before = await start();
    before.posts.post(["rust", "go"], { id: "https://a.example/1" });
    before.posts.post(["go"], { id: "https://a.example/2" });
    clock.now = T0 + 10 * SECOND;
    before.tick();
    await stop(before);

    clock.now = T0 + MINUTE;
    const after = await start();
    after.posts.delete("https://a.example/1");
    clock.now = T0 + MINUTE + 10 * SECOND;
    expect(tops(after.tick().snapshot)).toEqual({ "15m": { go: 1 }, complete: { go: 1 } });
    expect(after.posts.stats).toMatchObject({ held: 1, deletes: 1, unknown: 0 });
  });

  it("keeps each language's top: /api/top?lang= after the restart goes on from the counts before it", async () => {
    const { clock, start, stop } = restartable();
    const languages = { kind: "list", codes: ["de", "ja"] } as const;
    const before = await start({ languages });
    before.posts.post(["bahn", "kaffee"], { lang: "de" });
    before.posts.post(["bahn"], { lang: "de" });
    before.posts.post(["写真"], { lang: "ja" });
    clock.now = T0 + 10 * SECOND;
    before.tick();
    before.posts.post(["bahn"], { lang: "de" }); // read, not yet folded in by a tick
    clock.now = T0 + 15 * SECOND;
    await stop(before);

    clock.now = T0 + MINUTE;
    const after = await start({ languages });
    const top = (lang: string, window: string) => after.top(window, 5, "posts", lang)?.top.map((e) => [e.tag, e.count]);
    expect(top("de", "complete")).toEqual([["bahn", 3], ["kaffee", 1]]);
    expect(top("de", "15m")).toEqual([["bahn", 3], ["kaffee", 1]]);
    expect(top("ja", "complete")).toEqual([["写真", 1]]);
    expect(after.countsOf("bahn").languages).toEqual({ de: { "15m": 3, complete: 3 } });
    after.posts.post(["kaffee"], { lang: "de" });
    // The interval closed at 10 s leaves the 15m window at 15m10s; the one saved at the stop, after.
    clock.now = T0 + 15 * MINUTE + 10 * SECOND;
    after.tick();
    expect(top("de", "15m")).toEqual([["bahn", 1], ["kaffee", 1]]);
    expect(top("de", "complete")).toEqual([["bahn", 3], ["kaffee", 2]]);
  });

  it("keeps a trigger interval changed at run time, and the intake's refusal counts", async () => {
    const { clock, start, stop } = restartable();
    const before = await start();
    expect(before.setTriggerInterval(2 * SECOND)).toBeUndefined();
    before.stats.reject("invalid-json");
    before.stats.reject("too-long");
    await stop(before);

    clock.now += MINUTE;
    const after = await start();
    expect(after.hello().triggerMs).toBe(2 * SECOND);
    expect(after.latest().snapshot.stats.rejected).toBe(2);
    await stop(after);

    // TRIGGER_INTERVAL itself changed since: the operator's new setting wins.
    const changed = await start({ triggerMs: 5 * SECOND });
    expect(changed.hello().triggerMs).toBe(5 * SECOND);
  });

  it("logs the trigger interval in force and why: the one restored, not TRIGGER_INTERVAL", async () => {
    const { clock, start, stop } = restartable();
    const first = captureLog();
    const before = await start({ triggerMs: 2 * SECOND }, first.log);
    expect(first.entries.find((entry) => entry.triggerMs !== undefined)).toMatchObject({
      triggerMs: 2000,
      configuredTriggerMs: 2000,
      msg: "trigger 2s (TRIGGER_INTERVAL 2s)",
    });
    expect(before.setTriggerInterval(500)).toBeUndefined();
    await stop(before);

    clock.now += MINUTE;
    const restarted = captureLog();
    const after = await start({ triggerMs: 2 * SECOND }, restarted.log);
    expect(after.hello().triggerMs).toBe(500);
    expect(restarted.entries.filter((entry) => entry.triggerMs !== undefined)).toEqual([
      expect.objectContaining({
        level: 30,
        triggerMs: 500,
        configuredTriggerMs: 2000,
        msg: "trigger 500ms (restored from checkpoint: changed at run time; TRIGGER_INTERVAL 2s)",
      }),
    ]);
  });

  it("restores under another TOP_N: same counts, the new number of entries from the first snapshot", async () => {
    const { clock, start, stop } = restartable();
    const before = await start();
    before.posts.post(["a", "a", "a", "b", "b", "c"], {});
    clock.now += 10 * SECOND;
    before.tick();
    await stop(before);

    clock.now += MINUTE;
    const after = await start({ topN: 2 });
    expect(tops(after.latest().snapshot)).toEqual({ "15m": { a: 3, b: 2 }, complete: { a: 3, b: 2 } });
    expect(after.hello().topN).toBe(2);
  });

  it("records each tick in the metrics and the checkpoint's time as the last written", async () => {
    const { clock, start, stop } = restartable();
    const before = await start();
    before.posts.post(["rust"], {});
    clock.now += 10 * SECOND;
    before.tick();
    before.tick();
    const metrics = await before.metrics.registry.metrics();
    expect(metrics).toMatch(/^tagstream_tick_duration_seconds_count 2$/m);
    expect(metrics).toMatch(/^tagstream_lines_total 1$/m);
    expect(metrics).toMatch(/^tagstream_ticks_total 2$/m);
    await stop(before);

    clock.now += 30 * SECOND;
    const after = await start();
    expect(await after.metrics.registry.metrics()).toMatch(/^tagstream_checkpoint_age_seconds 30$/m);
  });
});

describe("a checkpoint that cannot be used", () => {
  const setAside = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith(`${CHECKPOINT_FILE}.corrupt-`));

  it("is moved aside when corrupt, with a warning naming the file and the reason; the aggregator starts fresh", async () => {
    const { dir, start } = restartable();
    writeFileSync(join(dir, CHECKPOINT_FILE), "TAGSTREAM-CHECKPOINT?\nnot really");
    const captured = captureLog();
    const aggregator = await start({}, captured.log);
    expect(aggregator.latest().snapshot).toMatchObject({ epoch: 0, stats: { lines: 0 } });
    const movedTo = join(dir, `${CHECKPOINT_FILE}.corrupt-2026-01-01T12-00-00.000Z`);
    expect(setAside(dir)).toEqual([`${CHECKPOINT_FILE}.corrupt-2026-01-01T12-00-00.000Z`]);
    const [warning] = captured.entries.filter((entry) => entry.level === 40);
    expect(warning).toMatchObject({
      reason: "not a tagstream checkpoint (bad header)",
      movedTo,
      msg: `checkpoint not used (not a tagstream checkpoint (bad header)); moved it to ${movedTo} and starting fresh`,
    });
  });

  it("is moved aside when saved under other windows or another capacity", async () => {
    const { dir, clock, start, stop } = restartable();
    const before = await start();
    before.posts.post(["rust"], {});
    await stop(before);

    const captured = captureLog();
    const other = await start({ windows: [{ kind: "sliding", lengthMs: 60 * MINUTE }, { kind: "complete" }] }, captured.log);
    expect(other.latest().snapshot).toMatchObject({ epoch: 0, stats: { lines: 0 } });
    expect(captured.entries.find((entry) => entry.level === 40)).toMatchObject({
      reason: "saved with WINDOWS=15m,complete, configured WINDOWS=1h,complete",
    });
    expect(setAside(dir)).toHaveLength(1);
    // Closing the fresh aggregator wrote its own, empty checkpoint over nothing.
    await stop(other);
    expect(existsSync(join(dir, CHECKPOINT_FILE))).toBe(true);

    clock.now += SECOND;
    const capped = captureLog();
    await start({ windows: [{ kind: "sliding", lengthMs: 60 * MINUTE }, { kind: "complete" }], capacity: 1000 }, capped.log);
    expect(capped.entries.find((entry) => entry.level === 40)).toMatchObject({
      reason: "saved with ENGINE_CAPACITY=none, configured ENGINE_CAPACITY=1000",
    });
    expect(setAside(dir)).toHaveLength(2);
  });

  /** The checkpoint in `dir`, decoded. */
  const savedIn = async (dir: string): Promise<AggregatorState> => {
    const decoded = await decodeCheckpoint(readFileSync(join(dir, CHECKPOINT_FILE)));
    if ("reason" in decoded) throw new Error(decoded.reason);
    return decoded.state as AggregatorState;
  };

  it("is moved aside when its hash is valid but its shape is not this version's (no engine); the start goes on fresh", async () => {
    const { dir, start, stop } = restartable();
    const before = await start();
    before.posts.post(["rust"], {});
    await stop(before);
    const { engine: _, ...withoutEngine } = await savedIn(dir);
    await writeCheckpoint(dir, withoutEngine);

    const captured = captureLog();
    const aggregator = await start({}, captured.log);
    expect(aggregator.latest().snapshot).toMatchObject({ epoch: 0, stats: { lines: 0 } });
    const name = `${CHECKPOINT_FILE}.corrupt-2026-01-01T12-00-00.000Z`;
    expect(setAside(dir)).toEqual([name]);
    const reason = "malformed checkpoint (engine: Invalid input: expected object, received undefined)";
    expect(captured.entries.filter((entry) => entry.level === 40)).toEqual([
      expect.objectContaining({ reason, movedTo: join(dir, name), msg: `checkpoint not used (${reason}); moved it to ${join(dir, name)} and starting fresh` }),
    ]);
  });

  it("is moved aside when restoring it throws, whatever the exception", async () => {
    const { dir, start, stop } = restartable();
    const before = await start();
    before.posts.post(["rust"], {});
    await stop(before);
    const saved = await savedIn(dir);
    // Well-formed, but names a tag id no interner can hold.
    await writeCheckpoint(dir, { ...saved, engine: { ...saved.engine, open: { ids: new Uint32Array([4_000_000_000]), deltas: new Float64Array([1]) } } });

    const captured = captureLog();
    const aggregator = await start({}, captured.log);
    expect(aggregator.latest().snapshot).toMatchObject({ epoch: 0, stats: { lines: 0 } });
    expect(setAside(dir)).toHaveLength(1);
    expect(captured.entries.filter((entry) => entry.level === 40)).toEqual([
      expect.objectContaining({ reason: "cannot be restored: Invalid typed array length: 12884901888" }),
    ]);
  });

  it("stops the start when STATE_DIR cannot hold checkpoints", async () => {
    const { dir, start } = restartable();
    const file = join(dir, "not-a-directory");
    writeFileSync(file, "");
    await expect(start({ checkpoint: { dir: file, intervalMs: 3_600_000 } })).rejects.toThrow(
      `STATE_DIR ${file} cannot hold checkpoints: EEXIST: file already exists, mkdir '${file}'`,
    );
  });
});

describe("temporary files of interrupted checkpoint writes", () => {
  it("are removed at start, and the log says how many and how many bytes; the checkpoint is restored", async () => {
    const { dir, clock, start, stop } = restartable();
    const before = await start();
    before.posts.post(["rust", "go"], {});
    await stop(before);
    writeFileSync(join(dir, `${CHECKPOINT_FILE}.31337.tmp`), Buffer.alloc(4096));
    writeFileSync(join(dir, `${CHECKPOINT_FILE}.31338.tmp`), Buffer.alloc(100));

    clock.now += MINUTE;
    const captured = captureLog();
    const after = await start({}, captured.log);
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    expect(captured.entries.filter((entry) => entry.level === 40)).toEqual([
      expect.objectContaining({ dir, files: 2, bytes: 4196, msg: "removed 2 temporary checkpoint file(s) (4196 bytes) left by an interrupted write" }),
    ]);
    expect(after.countsOf("rust").windows).toEqual({ "15m": 1, complete: 1 });
  });
});
