/**
 * Top-N selection without sorting every key: one pass with a bounded min-heap whose root is the
 * weakest of the current best N, so selecting costs O(D log N) for D candidates instead of the
 * O(D log D) of a full sort.
 *
 * Order (the wire contract): count descending, then tag ascending by UTF-16 code units, which is
 * deterministic and locale-independent.
 */
import type { CountColumn } from "./count-rows.ts";

export interface Ranked {
  readonly id: number;
  readonly count: number;
}

/** Orders two ids by name (negative when `a`'s name comes first); only called on equal counts. */
export type NameOrder = (a: number, b: number) => number;

/** Collects the best `n` of the ids offered to it. */
export class TopSelector {
  readonly #heap: number[] = [];
  readonly #values: Float64Array;
  readonly #stride: number;
  readonly #offset: number;
  readonly #n: number;
  readonly #byName: NameOrder;
  /** The highest count offered that did not make (or was pushed out of) the best `n`; 0 if none. */
  bestRejected = 0;

  constructor(counts: CountColumn, n: number, byName: NameOrder) {
    this.#values = counts.values;
    this.#stride = counts.stride;
    this.#offset = counts.offset;
    this.#n = n;
    this.#byName = byName;
  }

  /** Offers `id`; ids with a count of 0 or less are never selected. */
  offer(id: number): void {
    const count = this.#count(id);
    if (count <= 0 || this.#n <= 0) return;
    const heap = this.#heap;
    if (heap.length < this.#n) {
      heap.push(id);
      this.#siftUp(heap.length - 1);
    } else if (this.#weaker(heap[0] as number, id)) {
      this.#reject(heap[0] as number);
      heap[0] = id;
      this.#siftDown(0);
    } else {
      this.#reject(id);
    }
  }

  /** The selected ids, best first. */
  ranked(): Ranked[] {
    const ranked = this.#heap.map((id) => ({ id, count: this.#count(id) }));
    ranked.sort((a, b) => b.count - a.count || this.#byName(a.id, b.id));
    return ranked;
  }

  #count(id: number): number {
    return this.#values[id * this.#stride + this.#offset] ?? 0;
  }

  #reject(id: number): void {
    this.bestRejected = Math.max(this.bestRejected, this.#count(id));
  }

  /** Weaker = smaller count, or equal count and later name: the heap's root is the weakest. */
  #weaker(a: number, b: number): boolean {
    const ca = this.#count(a);
    const cb = this.#count(b);
    return ca < cb || (ca === cb && this.#byName(a, b) > 0);
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      let weakest = left;
      if (right < heap.length && this.#weaker(heap[right] as number, heap[left] as number)) weakest = right;
      if (!this.#weaker(heap[weakest] as number, heap[i] as number)) return;
      [heap[i], heap[weakest]] = [heap[weakest] as number, heap[i] as number];
      i = weakest;
    }
  }

  #siftUp(start: number): void {
    const heap = this.#heap;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#weaker(heap[i] as number, heap[parent] as number)) return;
      [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
      i = parent;
    }
  }
}

/** The best `n` ids below `limit` with a positive count, best first: a full scan. */
export function selectTop(counts: CountColumn, limit: number, n: number, byName: NameOrder): Ranked[] {
  const selector = new TopSelector(counts, n, byName);
  for (let id = 0; id < limit; id++) selector.offer(id);
  return selector.ranked();
}
