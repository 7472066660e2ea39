/**
 * The ids an interval touched, given back in increasing order: a bitmap of one bit per id, and a
 * summary of one bit per 32-bit word of it that has any bit set. Marking an id costs two writes;
 * visiting the set in order costs the summary's words (one per 1,024 ids) plus the marked words,
 * where sorting a list of the ids cost two radix passes over them every tick and, with a million
 * ids, more than the sweep over the rows that the order speeds up. An id marked twice is held once.
 */
import { grownLength } from "./id-arrays.ts";

export class TouchedIds {
  #bits: Uint32Array;
  #summary: Uint32Array;
  #size = 0;
  readonly #capacity: number | undefined;

  /** `ids`: the ids to make room for now; `capacity`: the most tags held at once, if bounded (see id-arrays.ts). */
  constructor(ids: number, capacity?: number) {
    this.#capacity = capacity;
    this.#bits = new Uint32Array(Math.ceil(ids / 32));
    this.#summary = new Uint32Array(Math.ceil(this.#bits.length / 32));
  }

  /** Distinct ids marked since the last `clear`. */
  get size(): number {
    return this.#size;
  }

  mark(id: number): void {
    const word = id >>> 5;
    if (word >= this.#bits.length) this.#grow(word + 1);
    const bit = 1 << (id & 31);
    const bits = this.#bits[word] as number;
    if ((bits & bit) !== 0) return;
    this.#bits[word] = bits | bit;
    this.#summary[word >>> 5] = (this.#summary[word >>> 5] as number) | (1 << (word & 31));
    this.#size++;
  }

  /**
   * Writes every marked id into `out` (at least `size` long) in increasing order and returns how
   * many; with `clear`, unmarks them as it goes.
   */
  inOrder(out: Uint32Array, clear = false): number {
    const bits = this.#bits;
    const summary = this.#summary;
    let count = 0;
    for (let s = 0; s < summary.length; s++) {
      let words = summary[s] as number;
      if (words === 0) continue;
      if (clear) summary[s] = 0;
      while (words !== 0) {
        const low = words & -words;
        words ^= low;
        const word = (s << 5) | (31 - Math.clz32(low));
        let marked = bits[word] as number;
        if (clear) bits[word] = 0;
        while (marked !== 0) {
          const bit = marked & -marked;
          marked ^= bit;
          out[count++] = (word << 5) | (31 - Math.clz32(bit));
        }
      }
    }
    if (clear) this.#size = 0;
    return count;
  }

  #grow(words: number): void {
    const length = Math.ceil(grownLength(this.#bits.length * 32, words * 32, this.#capacity) / 32);
    const bits = new Uint32Array(length);
    bits.set(this.#bits);
    this.#bits = bits;
    const summary = new Uint32Array(Math.ceil(length / 32));
    summary.set(this.#summary);
    this.#summary = summary;
  }
}
