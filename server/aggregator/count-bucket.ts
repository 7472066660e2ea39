/**
 * Counts that arrive between two triggers. The open bucket takes every line; at a trigger it is
 * closed into a compact, immutable list of (id, delta) pairs that every window folds in, and that
 * sliding windows keep so that they can subtract it again when it leaves the window. The cost of a
 * trigger is therefore proportional to the distinct tags of one trigger interval, never to the
 * total history.
 */

export interface ClosedBucket {
  /** The epoch of the trigger that closed this bucket. */
  readonly epoch: number;
  /** Engine time (ms) of the trigger that closed this bucket. */
  readonly closedAt: number;
  readonly ids: Uint32Array;
  /** Mutable only by retraction (a deleted post), so that expiry subtracts what is really held. */
  readonly deltas: Float64Array;
}

export class OpenBucket {
  #deltas = new Float64Array(1024);
  /** Generation stamp per id: an id is listed once per bucket even if its delta returns to 0. */
  #stamps = new Uint32Array(1024);
  #generation = 1;
  #touched = new Uint32Array(1024);
  #touchedCount = 0;

  add(id: number, delta: number): void {
    if (id >= this.#deltas.length) this.#grow(id + 1);
    if (this.#stamps[id] !== this.#generation) {
      this.#stamps[id] = this.#generation;
      if (this.#touchedCount === this.#touched.length) this.#touched = grown(this.#touched, this.#touchedCount + 1);
      this.#touched[this.#touchedCount++] = id;
    }
    this.#deltas[id] = (this.#deltas[id] as number) + delta;
  }

  /** What `id` has gathered since the last close. */
  deltaOf(id: number): number {
    return id < this.#deltas.length && this.#stamps[id] === this.#generation ? (this.#deltas[id] as number) : 0;
  }

  /** What the bucket holds now, without closing it. */
  entries(): { ids: Uint32Array; deltas: Float64Array } {
    const ids = this.#touched.slice(0, this.#touchedCount);
    return { ids, deltas: Float64Array.from(ids, (id) => this.#deltas[id] as number) };
  }

  get isEmpty(): boolean {
    return this.#touchedCount === 0;
  }

  /** Closes the bucket at `closedAt` and leaves this one empty for the next interval. */
  close(epoch: number, closedAt: number): ClosedBucket {
    const count = this.#touchedCount;
    const ids = this.#touched.slice(0, count);
    const deltas = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      deltas[i] = this.#deltas[id] as number;
      this.#deltas[id] = 0;
    }
    this.#touchedCount = 0;
    this.#generation++;
    return { epoch, closedAt, ids, deltas };
  }

  #grow(minLength: number): void {
    this.#deltas = grown(this.#deltas, minLength);
    this.#stamps = grown(this.#stamps, minLength);
  }
}

/** A copy of `array` at least `minLength` long, doubling so that growth is amortised O(1). */
export function grown<T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(array: T, minLength: number): T {
  let length = Math.max(1, array.length) * 2;
  while (length < minLength) length *= 2;
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}
