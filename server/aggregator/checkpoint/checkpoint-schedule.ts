/**
 * Writes a checkpoint every `intervalMs`, one at a time.
 *
 * Capturing the state is synchronous (a consistent copy between two events), and so is V8's
 * serialisation inside `writeCheckpoint`; the file I/O is asynchronous, so the event loop goes on
 * counting while the bytes reach the disk. A beat that comes while a write is still in flight is
 * skipped rather than queued: on a slow disk checkpoints thin out instead of piling up, and two
 * writes never race for the temporary file.
 */
import { writeCheckpoint } from "./checkpoint-file.ts";

export interface CheckpointWritten {
  /** When the state was captured. */
  readonly at: number;
  readonly bytes: number;
  /** Capture (synchronous), then serialisation and I/O, in ms. */
  readonly captureMs: number;
  readonly writeMs: number;
}

export interface CheckpointScheduleOptions {
  readonly dir: string;
  readonly intervalMs: number;
  /** A copy of the state at `at`, taken synchronously. */
  readonly capture: (at: number) => unknown;
  readonly clock: () => number;
  readonly onWritten: (written: CheckpointWritten) => void;
  /** A periodic write failed; the next beat tries again. */
  readonly onFailed: (error: unknown) => void;
  /** Writes the state durably and returns its size (default `writeCheckpoint`; tests pace it by hand). */
  readonly write?: (dir: string, state: unknown) => Promise<number>;
}

export interface CheckpointSchedule {
  /** Writes one now, after the one in flight if any; resolves once it is durable, rejects if it failed. */
  writeNow(): Promise<CheckpointWritten>;
  /** No more periodic writes; one in flight still completes. */
  stop(): void;
}

export function scheduleCheckpoints(options: CheckpointScheduleOptions): CheckpointSchedule {
  const writeState = options.write ?? writeCheckpoint;
  let inFlight: Promise<CheckpointWritten> | undefined;

  const write = async (): Promise<CheckpointWritten> => {
    const started = performance.now();
    const at = options.clock();
    const state = options.capture(at);
    const captured = performance.now();
    const bytes = await writeState(options.dir, state);
    const written = { at, bytes, captureMs: captured - started, writeMs: performance.now() - captured };
    options.onWritten(written);
    return written;
  };

  const start = (): Promise<CheckpointWritten> => {
    const running = write();
    inFlight = running;
    const settled = (): void => {
      if (inFlight === running) inFlight = undefined;
    };
    running.then(settled, settled);
    return running;
  };

  const timer = setInterval(() => {
    if (inFlight === undefined) start().catch(options.onFailed);
  }, options.intervalMs);
  // The servers keep the process alive; a forgotten schedule must not.
  timer.unref();

  return {
    async writeNow() {
      while (inFlight !== undefined) await inFlight.catch(() => undefined);
      return start();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
