/**
 * Every count the engine keeps for a tag, in one row per tag id: the open interval's delta, then
 * one total per count column (each window's, and Space-Saving's estimates when no complete window
 * holds them). With a million tags every row is a cache miss; keeping a tag's counts together
 * makes counting an occurrence one miss, and closing an interval one miss per tag it touched,
 * where separate arrays per window cost one each.
 *
 * Float64 rather than 32-bit: counts stay exact up to 2^53, so a complete window never wraps
 * however long the server runs, and retractions (edits, deletes) can make a delta negative.
 */
import type { BucketLog } from "./bucket-log.ts";
import { CapturedArray } from "./captured-arrays.ts";
import type { ClosedBucket } from "./count-bucket.ts";
import { grownLength, initialIds } from "./id-arrays.ts";
import { TouchedIds } from "./touched-ids.ts";

/** One count per id, `values[id * stride + offset]`: a column of the rows, as top selection reads it. */
export interface CountColumn {
  readonly values: Float64Array;
  readonly stride: number;
  readonly offset: number;
}

export function countIn(counts: CountColumn, id: number): number {
  return counts.values[id * counts.stride + counts.offset] ?? 0;
}

const NO_ENTRIES = { ids: new Uint32Array(0), deltas: new Int32Array(0) };

export class CountRows {
  /** Doubles per row: the open delta, then the columns. */
  readonly stride: number;
  #values: Float64Array;
  /** Ids whose delta went from 0 to non-zero in the open interval (some may be back to 0; see `close`). */
  readonly #touched: TouchedIds;
  /** Scratch for the touched ids in id order. */
  #inOrder = new Uint32Array(1024);
  readonly #capacity: number | undefined;

  /** `capacity`: the most tags held at once, if bounded (see id-arrays.ts). */
  constructor(columns: number, capacity?: number) {
    this.stride = 1 + columns;
    this.#capacity = capacity;
    this.#values = new Float64Array(initialIds(capacity) * this.stride);
    this.#touched = new TouchedIds(initialIds(capacity), capacity);
  }

  /** The backing array: `values[id * stride + 1 + column]` is a total, `values[id * stride]` a delta. */
  get values(): Float64Array {
    return this.#values;
  }

  /** Counts `delta` occurrences of `id` in the open interval. */
  add(id: number, delta: number): void {
    const row = id * this.stride;
    if (row >= this.#values.length) this.ensure(id + 1);
    const before = this.#values[row] as number;
    if (before === 0) this.#touched.mark(id);
    this.#values[row] = before + delta;
  }

  /** Column `column` as it is now (a later growth of the rows replaces the array: ask again). */
  view(column: number): CountColumn {
    return { values: this.#values, stride: this.stride, offset: 1 + column };
  }

  /** What `id` has gathered since the last close. */
  deltaOf(id: number): number {
    return this.#values[id * this.stride] ?? 0;
  }

  total(id: number, column: number): number {
    return this.#values[id * this.stride + 1 + column] ?? 0;
  }

  addTotal(id: number, column: number, delta: number): void {
    if (id * this.stride >= this.#values.length) this.ensure(id + 1);
    this.#values[id * this.stride + 1 + column] = (this.#values[id * this.stride + 1 + column] as number) + delta;
  }

  /** Forgets every total of `id` (its tag left; the id will name another). */
  clearTotals(id: number): void {
    const row = id * this.stride;
    if (row < this.#values.length) this.#values.fill(0, row + 1, row + this.stride);
  }

  /**
   * Closes the open interval in one pass over the ids it touched: each row's delta moves into every
   * column, and each id whose total in column c now exceeds `floors[c]` is appended to `risers[c]`
   * (the top trackers' candidates). With a `log` (sliding windows need the interval again when it
   * expires), the interval's (id, delta) entries are written into it as the bucket closed at
   * `closedAt`; an id whose delta came back to 0 has none.
   */
  close(epoch: number, closedAt: number, floors: Float64Array, risers: readonly number[][], log?: BucketLog): void {
    const values = this.#values;
    const stride = this.stride;
    const count = this.#takeTouched();
    const touched = this.#inOrder;
    const at = log === undefined ? 0 : log.reserve(count);
    const { ids, deltas } = log === undefined ? NO_ENTRIES : log.entries;
    const write = log !== undefined;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const id = touched[i] as number;
      const row = id * stride;
      const delta = values[row] as number;
      // 0: taken back to nothing by retraction.
      if (delta === 0) continue;
      values[row] = 0;
      if (write) {
        ids[at + kept] = id;
        deltas[at + kept] = delta;
      }
      kept++;
      for (let column = 1; column < stride; column++) {
        const total = (values[row + column] as number) + delta;
        values[row + column] = total;
        if (total > (floors[column - 1] as number)) risers[column - 1]?.push(id);
      }
    }
    log?.commit(epoch, closedAt, at, kept);
  }

  /**
   * Puts the touched ids into `#inOrder` in id order, unmarked, and returns how many: visiting rows
   * in address order turns random misses, each with its own TLB miss, into a forward sweep.
   */
  #takeTouched(): number {
    if (this.#inOrder.length < this.#touched.size) this.#inOrder = new Uint32Array(grownLength(this.#inOrder.length, this.#touched.size));
    return this.#touched.inOrder(this.#inOrder, true);
  }

  /** Takes `bucket` (or, with `keep`, the entries it accepts) out of `column`. */
  subtract(bucket: ClosedBucket, column: number, keep?: (id: number, epoch: number) => boolean): void {
    const { ids, deltas, epoch } = bucket;
    const values = this.#values;
    const stride = this.stride;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (keep !== undefined && !keep(id, epoch)) continue;
      const at = id * stride + 1 + column;
      values[at] = (values[at] as number) - (deltas[i] as number);
    }
  }

  /** Adds `bucket` (or, with `keep`, the entries it accepts) into `column`, as on restore. */
  addBucket(bucket: ClosedBucket, column: number, keep?: (id: number, epoch: number) => boolean): void {
    let highest = 0;
    for (let i = 0; i < bucket.ids.length; i++) highest = Math.max(highest, bucket.ids[i] as number);
    this.ensure(highest + 1);
    for (let i = 0; i < bucket.ids.length; i++) {
      const id = bucket.ids[i] as number;
      if (keep === undefined || keep(id, bucket.epoch)) this.addTotal(id, column, bucket.deltas[i] as number);
    }
  }

  /** The totals of `column` for ids [0, limit). */
  column(column: number, limit: number): Float64Array {
    const out = new Float64Array(limit);
    for (let id = 0; id < limit && id * this.stride < this.#values.length; id++) out[id] = this.#values[id * this.stride + 1 + column] as number;
    return out;
  }

  /** `column(column, limit)` captured: totals change only when an interval closes, which settles it first. */
  captureColumn(column: number, limit: number): CapturedArray {
    return new CapturedArray("Float64Array", limit, (from, to, out) => {
      const values = this.#values;
      for (let id = from; id < to; id++) out[id - from] = id * this.stride < values.length ? (values[id * this.stride + 1 + column] as number) : 0;
    });
  }

  /** Sets the totals of `column` for ids [0, totals.length). */
  loadColumn(column: number, totals: Float64Array): void {
    this.ensure(totals.length);
    for (let id = 0; id < totals.length; id++) this.#values[id * this.stride + 1 + column] = totals[id] as number;
  }

  /** What the open interval holds now, without closing it. */
  openEntries(): { ids: Uint32Array; deltas: Float64Array } {
    const touched = new Uint32Array(this.#touched.size);
    this.#touched.inOrder(touched);
    const ids = new Uint32Array(touched.length);
    const deltas = new Float64Array(touched.length);
    let count = 0;
    for (let i = 0; i < touched.length; i++) {
      const id = touched[i] as number;
      const delta = this.#values[id * this.stride] as number;
      if (delta === 0) continue;
      ids[count] = id;
      deltas[count++] = delta;
    }
    return { ids: ids.slice(0, count), deltas: deltas.slice(0, count) };
  }

  /** Makes room for ids below `limit`. */
  ensure(limit: number): void {
    const ids = this.#values.length / this.stride;
    if (limit <= ids) return;
    const values = new Float64Array(grownLength(ids, limit, this.#capacity) * this.stride);
    values.set(this.#values);
    this.#values = values;
  }
}
