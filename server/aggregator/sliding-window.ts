/**
 * A sliding window of fixed length that advances at every trigger.
 *
 * It keeps the closed buckets it holds in arrival order: a trigger adds the newest bucket to its
 * column of the count rows and subtracts every bucket closed at or before `now - length`. Each bucket is added once
 * and subtracted once, so the work per trigger is that of the buckets entering and leaving, not of
 * the window's whole content. Expiry is by the buckets' close time, so the window keeps sliding by
 * wall time even when triggers are late, missed, or change interval at run time.
 *
 * Under a capacity an id can change hands (space-saving.ts): entries a bucket holds for the id's
 * previous tag are skipped at expiry, since the totals forgot them at eviction, and `sweep` drops
 * them so that memory follows what is held.
 */
import { formatDuration } from "../../shared/duration.ts";
import type { ClosedBucket } from "./count-bucket.ts";
import type { CountRows } from "./count-rows.ts";
import type { CountWindow } from "./count-window.ts";

/** True when the entry of `id` in the bucket of `epoch` still belongs to the tag `id` names. */
export type EntryFilter = (id: number, epoch: number) => boolean;

export class SlidingWindow implements CountWindow {
  readonly name: string;
  readonly column: number;
  readonly lengthMs: number;
  readonly #rows: CountRows;
  #held: ClosedBucket[] = [];
  /** Index of the oldest held bucket; the array is compacted lazily to keep shifts O(1). */
  #head = 0;
  #current: EntryFilter | undefined;

  constructor(lengthMs: number, rows: CountRows, column: number) {
    this.lengthMs = lengthMs;
    this.name = formatDuration(lengthMs);
    this.#rows = rows;
    this.column = column;
  }

  /** Makes expiry skip entries `current` rejects (ids that changed tag since). */
  keepOnly(current: EntryFilter): void {
    this.#current = current;
  }

  /** Holds `bucket`, which the rows already count, and takes out what has left the window. */
  advance(bucket: ClosedBucket): void {
    this.#held.push(bucket);
    const horizon = bucket.closedAt - this.lengthMs;
    while (this.#head < this.#held.length) {
      const oldest = this.#held[this.#head] as ClosedBucket;
      if (oldest.closedAt > horizon) break;
      this.#rows.subtract(oldest, this.column, this.#current);
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#held.length) {
      this.#held.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Takes over exported buckets, oldest first, and recounts the totals from them. */
  load(buckets: readonly ClosedBucket[]): void {
    this.#held = [...buckets];
    this.#head = 0;
    for (const bucket of buckets) this.#rows.addBucket(bucket, this.column, this.#current);
  }

  /** Drops, from every held bucket, the entries that no longer belong to their id's tag. */
  sweep(): void {
    if (this.#current === undefined) return;
    this.#held = this.#held.slice(this.#head).map((bucket) => this.#kept(bucket));
    this.#head = 0;
  }

  #kept(bucket: ClosedBucket): ClosedBucket {
    const current = this.#current;
    if (current === undefined) return bucket;
    const keep: number[] = [];
    for (let i = 0; i < bucket.ids.length; i++) if (current(bucket.ids[i] as number, bucket.epoch)) keep.push(i);
    if (keep.length === bucket.ids.length) return bucket;
    return {
      epoch: bucket.epoch,
      closedAt: bucket.closedAt,
      ids: Uint32Array.from(keep, (i) => bucket.ids[i] as number),
      deltas: Float64Array.from(keep, (i) => bucket.deltas[i] as number),
    };
  }

  holds(epoch: number): boolean {
    return this.oldestEpoch <= epoch;
  }

  /** Epoch of the oldest bucket held (Infinity when none). */
  get oldestEpoch(): number {
    return this.#held[this.#head]?.epoch ?? Number.POSITIVE_INFINITY;
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

  /** Buckets currently inside the window, oldest first. */
  get buckets(): readonly ClosedBucket[] {
    return this.#held.slice(this.#head);
  }
}
