/**
 * The checkpoint beat on a virtual clock: one write at a time, a beat during a write skipped, a
 * write asked for on shutdown made after the one in flight, failures reported and retried.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-file.ts";
import { scheduleCheckpoints, type CheckpointSchedule, type CheckpointWritten } from "../../../server/aggregator/checkpoint/checkpoint-schedule.ts";

/** A writer whose writes finish (or fail) only when the test says so. */
function pacedWriter() {
  const started: unknown[] = [];
  const pending: Array<{ finish: () => void; fail: (error: Error) => void }> = [];
  const write = (_dir: string, state: unknown): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      started.push(state);
      pending.push({ finish: () => resolve(100), fail: reject });
    });
  const next = () => {
    const first = pending.shift();
    if (first === undefined) throw new Error("no write in flight");
    return first;
  };
  return { write, started, finish: () => next().finish(), fail: (error: Error) => next().fail(error) };
}

describe("checkpoint schedule", () => {
  let schedule: CheckpointSchedule | undefined;
  let now = 0;
  const written: number[] = [];
  const failures: string[] = [];
  /** Captures released, by their `at`. */
  const released: number[] = [];

  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    written.length = 0;
    failures.length = 0;
    released.length = 0;
  });
  afterEach(() => {
    schedule?.stop();
    vi.useRealTimers();
  });

  const start = (write: (dir: string, state: unknown) => Promise<number>): CheckpointSchedule => {
    schedule = scheduleCheckpoints({
      dir: "/unused",
      intervalMs: 100,
      capture: (at) => ({ state: { at }, release: () => released.push(at) }),
      clock: () => now,
      onWritten: (w: CheckpointWritten) => written.push(w.at),
      onFailed: (error) => failures.push((error as Error).message),
      write,
    });
    return schedule;
  };
  const advance = async (ms: number): Promise<void> => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it("writes every interval and skips beats while a write is in flight", async () => {
    const writer = pacedWriter();
    start(writer.write);
    await advance(100);
    expect(writer.started).toEqual([{ at: 100 }]);
    // Three beats pass while the disk is slow: none starts a second write.
    await advance(300);
    expect(writer.started).toEqual([{ at: 100 }]);
    writer.finish();
    await advance(0);
    expect(written).toEqual([100]);
    await advance(100);
    expect(writer.started).toEqual([{ at: 100 }, { at: 500 }]);
  });

  it("writes on demand after the write in flight, capturing the state as it is then", async () => {
    const writer = pacedWriter();
    const checkpoints = start(writer.write);
    await advance(100);
    now = 150;
    const final = checkpoints.writeNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.started).toEqual([{ at: 100 }]);
    now = 160;
    writer.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.started).toEqual([{ at: 100 }, { at: 160 }]);
    writer.finish();
    expect(await final).toMatchObject({ at: 160, bytes: 100 });
    expect(written).toEqual([100, 160]);
  });

  it("reports a failed periodic write and tries again at the next beat; a failed write on demand rejects", async () => {
    const writer = pacedWriter();
    const checkpoints = start(writer.write);
    await advance(100);
    expect(released).toEqual([]);
    writer.fail(new Error("ENOSPC: no space left on device"));
    await advance(0);
    expect(failures).toEqual(["ENOSPC: no space left on device"]);
    // The failed write's capture is released: the state need not keep it readable any more.
    expect(released).toEqual([100]);
    await advance(100);
    expect(writer.started).toEqual([{ at: 100 }, { at: 200 }]);
    writer.finish();
    await advance(0);
    expect(written).toEqual([200]);
    expect(released).toEqual([100, 200]);

    checkpoints.stop();
    const final = checkpoints.writeNow();
    await vi.advanceTimersByTimeAsync(0);
    writer.fail(new Error("EIO: i/o error"));
    await expect(final).rejects.toThrow("EIO: i/o error");
    // Stopped: no more beats.
    await advance(1000);
    expect(writer.started).toHaveLength(3);
  });

  it("writes real checkpoint files by default", async () => {
    vi.useRealTimers();
    const dir = mkdtempSync(join(tmpdir(), "schedule-"));
    schedule = scheduleCheckpoints({
      dir,
      intervalMs: 3_600_000,
      capture: (at) => ({ state: { at, totals: new Float64Array([1, 2, 3]) }, release: () => undefined }),
      clock: () => 42,
      onWritten: () => undefined,
      onFailed: () => undefined,
    });
    const result = await schedule.writeNow();
    expect(result.at).toBe(42);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state: { at: 42, totals: new Float64Array([1, 2, 3]) } });
  });
});
