/**
 * A sliding window of fixed length that advances at every trigger.
 *
 * The count rows add each closed bucket to its column; the window holds the buckets it spans (in
 * the bucket log, shared by every sliding window) and at each trigger subtracts every bucket closed
 * at or before `now - length`. Each bucket is added once and subtracted once, so the work per
 * trigger is that of the buckets entering and leaving, not of the window's whole content. Expiry
 * is by the buckets' close time, so the window keeps sliding by wall time even when triggers are
 * late, missed, or change interval at run time.
 *
 * Under a capacity an id can change hands (space-saving.ts): entries a bucket holds for the id's
 * previous tag are skipped at expiry (the log's filter), since the totals forgot them at eviction.
 */
import { formatDuration } from "../../../shared/duration.ts";
import type { BucketLog } from "./bucket-log.ts";
import { withLateEntries, type ClosedBucket } from "./count-bucket.ts";
import type { CountRows } from "./count-rows.ts";
import type { CountWindow } from "./count-window.ts";

export class SlidingWindow implements CountWindow {
  readonly name: string;
  readonly column: number;
  readonly lengthMs: number;
  readonly #rows: CountRows;
  readonly #log: BucketLog;
  /** Number (in the log) of the oldest bucket this window holds. */
  #oldest = 0;

  constructor(lengthMs: number, rows: CountRows, column: number, log: BucketLog) {
    this.lengthMs = lengthMs;
    this.name = formatDuration(lengthMs);
    this.#rows = rows;
    this.column = column;
    this.#log = log;
  }

  /** Takes out of the totals every bucket that has left the window by `now` (the newest is already counted). */
  advance(now: number): void {
    const log = this.#log;
    const horizon = now - this.lengthMs;
    this.#oldest = Math.max(this.#oldest, log.start);
    while (this.#oldest < log.end && log.closedAtOf(this.#oldest) <= horizon) {
      this.#rows.subtract(log.bucket(this.#oldest), this.column, log.keep);
      const late = log.lateOf(log.epochOf(this.#oldest));
      if (late !== undefined) this.#rows.subtract(late, this.column, log.keep);
      this.#oldest++;
    }
  }

  /** Number of the oldest bucket held: the log may forget those before the oldest any window holds. */
  get oldestHeld(): number {
    return this.#oldest;
  }

  /** Holds the log's buckets from `oldest` on (on restore, once they are in the log), and recounts its totals from them. */
  load(oldest: number): void {
    this.#oldest = oldest;
    for (let number = oldest; number < this.#log.end; number++) this.#rows.addBucket(this.#log.bucket(number), this.column, this.#log.keep);
  }

  holds(epoch: number): boolean {
    return this.oldestEpoch <= epoch;
  }

  /** Epoch of the oldest bucket held (Infinity when none). */
  get oldestEpoch(): number {
    return this.#oldest < this.#log.end ? this.#log.epochOf(this.#oldest) : Number.POSITIVE_INFINITY;
  }

  /** The held bucket closed at `epoch`, if it is still inside the window: views into the log. */
  bucketAt(epoch: number): ClosedBucket | undefined {
    if (!this.holds(epoch)) return undefined;
    const number = this.#log.find(epoch, this.#oldest);
    return number === -1 ? undefined : this.#log.bucket(number);
  }

  /** Buckets currently inside the window, oldest first (views into the log; a bucket with late entries is a copy holding them too, see `withLateEntries`). */
  get buckets(): ClosedBucket[] {
    const buckets: ClosedBucket[] = [];
    for (let number = this.#oldest; number < this.#log.end; number++) {
      const bucket = this.#log.bucket(number);
      const late = this.#log.lateOf(bucket.epoch);
      buckets.push(late === undefined ? bucket : withLateEntries(bucket, late));
    }
    return buckets;
  }
}
