/**
 * A sliding window of fixed length that advances at every trigger.
 *
 * It keeps the closed buckets it holds in arrival order: a trigger adds the newest bucket to the
 * totals and subtracts every bucket closed at or before `now - length`. Each bucket is added once
 * and subtracted once, so the work per trigger is that of the buckets entering and leaving, not of
 * the window's whole content. Expiry is by the buckets' close time, so the window keeps sliding by
 * wall time even when triggers are late, missed, or change interval at run time.
 */
import { formatDuration } from "../../shared/duration.ts";
import { CountArray } from "./count-array.ts";
import type { ClosedBucket } from "./count-bucket.ts";
import { applyBucket, type CountWindow } from "./count-window.ts";

export class SlidingWindow implements CountWindow {
  readonly name: string;
  readonly totals = new CountArray();
  readonly #lengthMs: number;
  readonly #held: ClosedBucket[] = [];
  /** Index of the oldest held bucket; the array is compacted lazily to keep shifts O(1). */
  #head = 0;

  constructor(lengthMs: number) {
    this.#lengthMs = lengthMs;
    this.name = formatDuration(lengthMs);
  }

  advance(bucket: ClosedBucket): void {
    applyBucket(this.totals, bucket, 1);
    this.#held.push(bucket);
    const horizon = bucket.closedAt - this.#lengthMs;
    while (this.#head < this.#held.length) {
      const oldest = this.#held[this.#head] as ClosedBucket;
      if (oldest.closedAt > horizon) break;
      applyBucket(this.totals, oldest, -1);
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#held.length) {
      this.#held.splice(0, this.#head);
      this.#head = 0;
    }
  }

  holds(epoch: number): boolean {
    const oldest = this.#held[this.#head];
    return oldest !== undefined && oldest.epoch <= epoch;
  }

  /** The held bucket closed at `epoch`, if it is still inside the window. */
  bucketAt(epoch: number): ClosedBucket | undefined {
    if (!this.holds(epoch)) return undefined;
    // Buckets are held in epoch order: binary search.
    let lo = this.#head;
    let hi = this.#held.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const bucket = this.#held[mid] as ClosedBucket;
      if (bucket.epoch === epoch) return bucket;
      if (bucket.epoch < epoch) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Buckets currently inside the window. */
  get bucketCount(): number {
    return this.#held.length - this.#head;
  }
}
