/**
 * What a tick yields: the tops of every window and the engine's counters, as of that tick. Its
 * own file because both the engine and its saved state (engine-state.ts) hold one.
 */
import type { TopEntry } from "../../../shared/messages.ts";

export interface EngineCounters {
  /** Lines ingested (one per post). */
  readonly lines: number;
  /** Tag occurrences ingested. */
  readonly tags: number;
  /** Distinct tags seen: exact while they fit the capacity; past it, an estimate (see tag-capacity.ts). */
  readonly distinct: number;
  /** Present, true, once `distinct` is an estimate. */
  readonly distinctEstimated?: true;
  /** Posts counted with an author (JSON lines with `acct`), when accounts are counted. */
  readonly withAccount?: number;
  /**
   * With event time: posts older than the watermark (in `complete` only), posts older than some
   * sliding window's start (not in that window), and posts dated in the future (clamped to their
   * arrival), and the watermark itself (ms; absent before the first dated post).
   */
  readonly late?: number;
  readonly beforeWindow?: number;
  readonly future?: number;
  readonly watermark?: number;
}

export interface TickResult {
  readonly epoch: number;
  readonly at: number;
  readonly windows: ReadonlyArray<{
    readonly window: string;
    readonly top: readonly TopEntry[];
    readonly byAccounts?: readonly TopEntry[];
    readonly byTrend?: readonly TopEntry[];
  }>;
  readonly counters: EngineCounters;
}
