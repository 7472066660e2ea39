/**
 * Everything a counting engine is, as plain data: typed arrays and numbers that serialise to JSON
 * or to binary, so that a restarted aggregator can take up where it stopped. Sliding windows keep
 * their buckets only; their totals are recounted from them on restore.
 */
import type { AccountCountsState } from "./account-counts.ts";
import type { ClosedBucket } from "./count-bucket.ts";
import type { TickResult } from "./tick-result.ts";
import type { SpaceSavingState } from "./space-saving.ts";
import type { TrendScoresState } from "./trend-scores.ts";
import type { InternerState } from "./tag-interner.ts";

/** 2: distinct accounts per tag (`accounts`, `withAccount`), trend scores (`trend`), event time (`eventTime`). */
export const ENGINE_STATE_VERSION = 2;

export type WindowState =
  | { readonly kind: "complete"; readonly name: string; readonly totals: Float64Array }
  | { readonly kind: "sliding"; readonly name: string; readonly buckets: readonly ClosedBucket[] };

export interface EngineState {
  readonly version: typeof ENGINE_STATE_VERSION;
  /** The last tick: its epoch, time and tops, as `latest` showed them. */
  readonly latest: TickResult;
  readonly lines: number;
  readonly tags: number;
  /** Names admitted so far (the `distinct` counter under a capacity). */
  readonly admissions: number;
  readonly names: InternerState;
  readonly windows: readonly WindowState[];
  /** The all-time estimates, when a capacity is set and no complete window is configured. */
  readonly estimates?: Float64Array;
  /** The open interval's counts: ids and deltas. */
  readonly open: { readonly ids: Uint32Array; readonly deltas: Float64Array };
  /** Retractions waiting for the next tick, as (id, epoch) pairs. */
  readonly retractions: Float64Array;
  readonly summary?: SpaceSavingState & { readonly evictedSinceSweep: number; readonly distinctSketch?: Uint8Array };
  /** The (tag, account) pairs and their occurrences, when accounts are counted. */
  readonly accounts?: AccountCountsState;
  readonly withAccount?: number;
  /** Baseline slots and best scores, when a trend is configured. */
  readonly trend?: TrendScoresState;
  /** With event time: the newest event time, its counters, and posts given closed intervals not yet applied. */
  readonly eventTime?: {
    readonly newest: number;
    readonly late: number;
    readonly beforeWindow: number;
    readonly future: number;
    readonly pending: ReadonlyArray<{ readonly epoch: number; readonly ids: readonly number[] }>;
    /**
     * When the engine was created: posts dated before it and before every interval held count in
     * complete only. Absent from states saved before it was kept (the restore then takes the last tick's time).
     */
    readonly createdAt?: number;
  };
}

/**
 * Copies a bucket, so that state and engine never share the arrays retraction mutates. Deltas are
 * Int32Array; state saved when they were Float64Array converts on the way in.
 */
export function copyBucket(bucket: ClosedBucket): ClosedBucket {
  return { epoch: bucket.epoch, closedAt: bucket.closedAt, ids: bucket.ids.slice(), deltas: Int32Array.from(bucket.deltas) };
}
