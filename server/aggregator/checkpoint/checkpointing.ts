/**
 * The aggregator's checkpoints, at its edge: the state it starts from (restored, or fresh when
 * there is no checkpoint, or one it cannot use) and the periodic writes.
 *
 * A checkpoint that cannot be used — corrupt, unreadable, from another format or shape, saved under
 * other windows or another capacity, or one whose restore throws for any reason — is moved aside
 * with a warning that names the file and the reason, and the aggregator starts fresh: losing the
 * counts is better than refusing to run, and the file is kept for whoever wants to look at it. A
 * STATE_DIR that cannot be written, on the other hand, stops the start (CheckpointDirError):
 * running on without the durability asked for would be silent. Temporary files of writes a crash
 * interrupted are removed at start.
 */
import { join } from "node:path";
import {
  CHECKPOINT_FILE,
  prepareCheckpointDir,
  readCheckpoint,
  removeStaleTemporaries,
  setCheckpointAside,
  type CheckpointSetAside,
} from "../checkpoint/checkpoint-file.ts";
import type { CheckpointHealth } from "../checkpoint/checkpoint-health.ts";
import { scheduleCheckpoints, type CheckpointSchedule } from "../checkpoint/checkpoint-schedule.ts";
import type { Logger } from "../../log/logger.ts";
import type { AggregatorMetrics } from "../../metrics/aggregator-metrics.ts";
import type { Capture } from "../engine/captured-arrays.ts";
import {
  buildParts,
  catchUp,
  restoreProblem,
  type AggregatorParts,
  type AggregatorState,
  type PartsOptions,
  type SavedSettings,
} from "../state/aggregator-state.ts";

export interface CheckpointSettings {
  /** Directory of the checkpoint file (STATE_DIR). */
  readonly dir: string;
  readonly intervalMs: number;
}

export interface OpenedState {
  readonly parts: AggregatorParts;
  /** The checkpoint the parts were restored from; undefined when they are fresh. */
  readonly saved: AggregatorState | undefined;
}

/**
 * With `stream` (cluster mode) only a checkpoint of that stream is used, and the restored parts are
 * left where the checkpoint left them: the stream, replayed from the next sequence, brings them up
 * to date, epoch by epoch, instead of the wall clock.
 */
export async function openState(
  dir: string,
  options: PartsOptions,
  configured: Pick<SavedSettings, "windows" | "capacity">,
  log: Logger,
  stream?: string,
): Promise<OpenedState> {
  const now = options.clock();
  const fresh = (): OpenedState => ({ parts: buildParts(options, now), saved: undefined });
  const file = join(dir, CHECKPOINT_FILE);
  await prepareCheckpointDir(dir);
  const stale = await removeStaleTemporaries(dir);
  if (stale.files > 0) log.warn({ dir, ...stale }, `removed ${stale.files} temporary checkpoint file(s) (${stale.bytes} bytes) left by an interrupted write`);
  const read = await readCheckpoint(dir, options.clock);
  if (read.kind === "missing") {
    log.info({ file }, "no checkpoint yet: starting fresh");
    return fresh();
  }
  if (read.kind === "corrupt") {
    warnSetAside(read, log);
    return fresh();
  }
  const problem = restoreProblem(read.state, configured, stream);
  if (problem !== undefined) {
    warnSetAside(await setCheckpointAside(dir, problem, options.clock), log);
    return fresh();
  }
  const saved = read.state as AggregatorState;
  try {
    const parts = buildParts(options, now, saved);
    if (stream === undefined) catchUp(parts, saved, now);
    log.info(
      {
        file,
        savedAt: new Date(saved.savedAt).toISOString(),
        epoch: saved.engine.latest.epoch,
        lines: saved.engine.lines,
        posts: saved.posts.ids.length,
        ...(saved.stream !== undefined && { streamSeq: saved.stream.seq }),
      },
      "restored the checkpoint",
    );
    return { parts, saved };
  } catch (error) {
    warnSetAside(await setCheckpointAside(dir, `cannot be restored: ${(error as Error).message}`, options.clock), log);
    return fresh();
  }
}

function warnSetAside({ reason, movedTo }: CheckpointSetAside, log: Logger): void {
  log.warn({ reason, movedTo }, `checkpoint not used (${reason}); moved it to ${movedTo} and starting fresh`);
}

/**
 * Periodic checkpoints of `capture`, each recorded in the metrics and the health. A failed one is
 * logged, counted and marks the health as failing until a write succeeds; the previous checkpoint
 * stays, and the next beat tries again. `writeNow` (the final checkpoint) records its outcome too.
 */
export function startCheckpoints(
  { dir, intervalMs }: CheckpointSettings,
  capture: (at: number) => Capture<AggregatorState>,
  metrics: AggregatorMetrics,
  health: CheckpointHealth,
  log: Logger,
  clock: () => number,
): CheckpointSchedule {
  const failed = (error: unknown): void => {
    metrics.checkpointFailed();
    health.failed(error, clock());
  };
  const schedule = scheduleCheckpoints({
    dir,
    intervalMs,
    capture,
    clock,
    onWritten(written) {
      metrics.checkpointWritten(written.at);
      health.written(written.at);
      log.debug(written, "checkpoint written");
    },
    onFailed(error) {
      failed(error);
      log.error({ err: error, dir }, "checkpoint failed; the previous one stays; trying again at the next interval");
    },
  });
  return {
    writeNow: () =>
      schedule.writeNow().catch((error: unknown) => {
        failed(error);
        throw error;
      }),
    stop: () => schedule.stop(),
  };
}
