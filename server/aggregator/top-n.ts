/**
 * Top-N selection without sorting every key: one pass over the counts with a bounded min-heap
 * whose root is the weakest of the current best N, so a tick costs O(D log N) for D distinct tags
 * instead of the O(D log D) of a full sort.
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

/** The best `n` ids of `counts[0..length)` with a positive count, best first. */
export function selectTop(counts: Float64Array, length: number, n: number, byName: NameOrder): Ranked[] {
  if (n <= 0) return [];
  const heap: number[] = [];
  const end = Math.min(length, counts.length);
  // The heap root is the weakest entry: weaker = smaller count, or equal count and larger name.
  const weaker = (a: number, b: number): boolean => {
    const ca = counts[a] as number;
    const cb = counts[b] as number;
    return ca < cb || (ca === cb && byName(a, b) > 0);
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      let weakest = left;
      if (right < heap.length && weaker(heap[right] as number, heap[left] as number)) weakest = right;
      if (!weaker(heap[weakest] as number, heap[i] as number)) return;
      [heap[i], heap[weakest]] = [heap[weakest] as number, heap[i] as number];
      i = weakest;
    }
  };
  const siftUp = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!weaker(heap[i] as number, heap[parent] as number)) return;
      [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
      i = parent;
    }
  };

  for (let id = 0; id < end; id++) {
    const count = counts[id] as number;
    if (count <= 0) continue;
    if (heap.length < n) {
      heap.push(id);
      siftUp(heap.length - 1);
    } else if (weaker(heap[0] as number, id)) {
      heap[0] = id;
      siftDown(0);
    }
  }

  const ranked = heap.map((id) => ({ id, count: counts[id] as number }));
  ranked.sort((a, b) => b.count - a.count || byName(a.id, b.id));
  return ranked;
}
