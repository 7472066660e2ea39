/**
 * Top-N selection without sorting every key: one pass with a bounded min-heap whose root is the
 * weakest of the current best N, so selecting costs O(D log N) for D candidates instead of the
 * O(D log D) of a full sort.
 *
 * Order (the wire contract): count descending, then tag ascending by UTF-16 code units, which is
 * deterministic and locale-independent.
 */

export interface Ranked {
  readonly id: number;
  readonly count: number;
}

/** Orders two ids by name (negative when `a`'s name comes first); only called on equal counts. */
export type NameOrder = (a: number, b: number) => number;

/** Collects the best `n` of the ids offered to it. */
export class TopSelector {
  readonly #heap: number[] = [];
  readonly #counts: Float64Array;
  readonly #n: number;
  readonly #byName: NameOrder;
  /** The highest count offered that did not make (or was pushed out of) the best `n`; 0 if none. */
  bestRejected = 0;

  constructor(counts: Float64Array, n: number, byName: NameOrder) {
    this.#counts = counts;
    this.#n = n;
    this.#byName = byName;
  }

  /** Offers `id`; ids with a count of 0 or less are never selected. */
  offer(id: number): void {
    const count = this.#counts[id] as number;
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
    const counts = this.#counts;
    const ranked = this.#heap.map((id) => ({ id, count: counts[id] as number }));
    ranked.sort((a, b) => b.count - a.count || this.#byName(a.id, b.id));
    return ranked;
  }

  #reject(id: number): void {
    this.bestRejected = Math.max(this.bestRejected, this.#counts[id] as number);
  }

  /** Weaker = smaller count, or equal count and later name: the heap's root is the weakest. */
  #weaker(a: number, b: number): boolean {
    const ca = this.#counts[a] as number;
    const cb = this.#counts[b] as number;
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

/** The best `n` ids of `counts[0..length)` with a positive count, best first: a full scan. */
export function selectTop(counts: Float64Array, length: number, n: number, byName: NameOrder): Ranked[] {
  const selector = new TopSelector(counts, n, byName);
  const end = Math.min(length, counts.length);
  for (let id = 0; id < end; id++) selector.offer(id);
  return selector.ranked();
}
