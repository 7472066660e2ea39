/**
 * Writes a checkpoint every `intervalMs`, one at a time.
 *
 * Capturing the state is synchronous but copies only what changes between two ticks (see
 * captured-arrays.ts); the bulk is read, encoded and written a slice at a time by
 * `writeCheckpoint`, so the event loop goes on counting while the checkpoint is written. A beat
 * that comes while a write is still in flight is skipped rather than queued: on a slow disk checkpoints thin out instead of piling up, and two
 * writes never race for the temporary file.
 */
import { writeCheckpoint } from "./checkpoint-file.ts";

export interface CheckpointWritten {
  /** When the state was captured. */
  readonly at: number;
  readonly bytes: number;
  /** Capture (synchronous), then encoding and I/O (sliced), in ms. */
  readonly captureMs: number;
  readonly writeMs: number;
}

export interface CapturedCheckpoint {
  readonly state: unknown;
  /** Called once the write is over, done or failed. */
  release(): void;
}

export interface CheckpointScheduleOptions {
  readonly dir: string;
  readonly intervalMs: number;
  /** The state at `at`, captured synchronously, read while it is written, then released. */
  readonly capture: (at: number) => CapturedCheckpoint;
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
    const captured = options.capture(at);
    const capturedAt = performance.now();
    let bytes: number;
    try {
      bytes = await writeState(options.dir, captured.state);
    } finally {
      captured.release();
    }
    const written = { at, bytes, captureMs: capturedAt - started, writeMs: performance.now() - capturedAt };
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
