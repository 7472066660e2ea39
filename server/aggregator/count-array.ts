/**
 * A dense array of counts indexed by interned tag id, growing on demand.
 *
 * Float64Array rather than Uint32Array: counts stay exact up to 2^53, so a `complete` window never
 * wraps however long the server runs, and negative adjustments (edits, deletes) are representable.
 */
export class CountArray {
  #values: Float64Array;

  constructor(initialCapacity = 1024) {
    this.#values = new Float64Array(initialCapacity);
  }

  get(id: number): number {
    return id < this.#values.length ? (this.#values[id] ?? 0) : 0;
  }

  add(id: number, delta: number): number {
    if (id >= this.#values.length) this.#grow(id + 1);
    const next = (this.#values[id] ?? 0) + delta;
    this.#values[id] = next;
    return next;
  }

  /** Makes room for ids below `length`, so that a batch can write `values` directly. */
  ensure(length: number): Float64Array {
    if (length > this.#values.length) this.#grow(length);
    return this.#values;
  }

  /** The backing array, for scans; entries past the highest id touched are 0. */
  get values(): Float64Array {
    return this.#values;
  }

  #grow(minLength: number): void {
    let length = this.#values.length * 2;
    while (length < minLength) length *= 2;
    const next = new Float64Array(length);
    next.set(this.#values);
    this.#values = next;
  }
}
