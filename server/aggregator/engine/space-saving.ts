/**
 * A bound on the tags held at once, by Space-Saving (Metwally, Agrawal, El Abbadi, "Efficient
 * computation of frequent and top-k elements in data streams", ICDT 2005), applied at each tick.
 *
 * While the distinct tags fit the capacity nothing is ever evicted and every count is exact. Past
 * it, each tick evicts the held tags whose all-time estimates are smallest until the capacity is
 * met, and the floor F, the largest estimate ever evicted, bounds the true count of every tag not
 * held. A tag admitted later starts at F plus what it gathers (its error is F), so its estimate
 * never undercounts: true <= estimate <= true + error. This batch form is Space-Saving merged with
 * each interval's exact counts, which keeps its guarantees (Agarwal et al., "Mergeable summaries",
 * PODS 2012): estimates sum to at most N, so F <= N / capacity, and any tag more frequent than
 * N / capacity is held.
 *
 * The smallest estimates are found with a lazy min-heap: keys are the estimates when an id was
 * pushed and only grow with traffic, so a root whose key is stale is re-keyed and pushed back, and
 * the first fresh root is a true minimum.
 *
 * Until the distinct tags first outgrow the capacity none of this is needed (nothing evicted, the
 * floor 0, every error 0, no id reused), so the summary stays dormant and costs nothing per new
 * name; `activate` then builds the heap from every held id at once (Floyd's heap construction).
 */
import { capturedSlices, type Captured } from "./captured-arrays.ts";
import { grown, headroom } from "./id-arrays.ts";
import { countIn, type CountColumn } from "./count-rows.ts";

export class SpaceSaving {
  readonly capacity: number;
  /** The largest estimate evicted so far: an upper bound on every unheld tag's count. */
  floor = 0;
  /** Per id: the error of its current tenure (the floor when it was admitted). */
  #error = new Float64Array(1024);
  /** Per id: the first epoch its current name counts from; entries of earlier epochs are another tag's. */
  #tenure = new Uint32Array(1024);
  #heapIds = new Uint32Array(1024);
  #heapKeys = new Float64Array(1024);
  #heapSize = 0;
  #active = false;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** False until the first eviction is due: until then every count is exact and nothing is tracked. */
  get active(): boolean {
    return this.#active;
  }

  /** Starts tracking `held` (every id that names a tag now, ascending), all exact, keyed by their `estimates`. */
  activate(held: Uint32Array, estimates: CountColumn): void {
    const size = held.length;
    const ids = size === 0 ? 0 : (held[size - 1] as number) + 1;
    this.#error = new Float64Array(ids + headroom(this.capacity));
    this.#tenure = new Uint32Array(ids + headroom(this.capacity));
    this.#heapIds = new Uint32Array(size + headroom(this.capacity));
    this.#heapKeys = new Float64Array(size + headroom(this.capacity));
    this.#heapIds.set(held);
    for (let i = 0; i < size; i++) this.#heapKeys[i] = countIn(estimates, held[i] as number);
    this.#heapSize = size;
    for (let i = (size >> 1) - 1; i >= 0; i--) this.#siftDown(i, this.#heapIds[i] as number, this.#heapKeys[i] as number);
    this.#active = true;
  }

  /** Records a new name in `id`, counting from `epoch`, with the current floor as its error. */
  admit(id: number, epoch: number): void {
    if (id >= this.#error.length) {
      this.#error = grown(this.#error, id + 1, this.capacity);
      this.#tenure = grown(this.#tenure, id + 1, this.capacity);
    }
    this.#error[id] = this.floor;
    this.#tenure[id] = epoch;
    this.#push(id, this.floor);
  }

  errorOf(id: number): number {
    return id < this.#error.length ? (this.#error[id] as number) : 0;
  }

  /** True when an entry of `epoch` for `id` belongs to the name `id` holds now. */
  current(id: number, epoch: number): boolean {
    return id >= this.#tenure.length || epoch >= (this.#tenure[id] as number);
  }

  /** First epoch of `id`'s current tenure. */
  tenureOf(id: number): number {
    return id < this.#tenure.length ? (this.#tenure[id] as number) : 0;
  }

  /**
   * Takes out the `count` held ids with the smallest `estimates`, raising the floor; after `epoch`
   * none of their earlier entries counts for whatever name takes the id next.
   */
  evict(count: number, estimates: CountColumn, epoch: number): number[] {
    const evicted: number[] = [];
    while (evicted.length < count && this.#heapSize > 0) {
      const id = this.#heapIds[0] as number;
      const key = this.#heapKeys[0] as number;
      const estimate = countIn(estimates, id);
      this.#pop();
      if (estimate > key) {
        this.#push(id, estimate);
        continue;
      }
      this.floor = Math.max(this.floor, estimate);
      this.#error[id] = 0;
      this.#tenure[id] = epoch + 1;
      evicted.push(id);
    }
    return evicted;
  }

  #push(id: number, key: number): void {
    if (this.#heapSize === this.#heapIds.length) {
      this.#heapIds = grown(this.#heapIds, this.#heapSize + 1, this.capacity);
      this.#heapKeys = grown(this.#heapKeys, this.#heapSize + 1, this.capacity);
    }
    const ids = this.#heapIds;
    const keys = this.#heapKeys;
    let i = this.#heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((keys[parent] as number) <= key) break;
      ids[i] = ids[parent] as number;
      keys[i] = keys[parent] as number;
      i = parent;
    }
    ids[i] = id;
    keys[i] = key;
  }

  #pop(): void {
    const size = --this.#heapSize;
    this.#siftDown(0, this.#heapIds[size] as number, this.#heapKeys[size] as number);
  }

  /** Puts (id, key) into the hole at `start`, moving smaller children up. */
  #siftDown(start: number, id: number, key: number): void {
    const ids = this.#heapIds;
    const keys = this.#heapKeys;
    const size = this.#heapSize;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && (keys[child + 1] as number) < (keys[child] as number)) child++;
      if ((keys[child] as number) >= key) break;
      ids[i] = ids[child] as number;
      keys[i] = keys[child] as number;
      i = child;
    }
    ids[i] = id;
    keys[i] = key;
  }

  /** Plain data for `exportState`. */
  exportState(limit: number): SpaceSavingState {
    return {
      floor: this.floor,
      error: this.#error.slice(0, limit),
      tenure: this.#tenure.slice(0, limit),
      heapIds: this.#heapIds.slice(0, this.#heapSize),
      heapKeys: this.#heapKeys.slice(0, this.#heapSize),
    };
  }

  /** `exportState` captured: read later, exact as long as the summary does not change before it settles (only ticks change it). */
  capture(limit: number): Captured<SpaceSavingState> {
    const size = this.#heapSize;
    return {
      floor: this.floor,
      error: capturedSlices("Float64Array", limit, () => this.#error),
      tenure: capturedSlices("Uint32Array", limit, () => this.#tenure),
      heapIds: capturedSlices("Uint32Array", size, () => this.#heapIds),
      heapKeys: capturedSlices("Float64Array", size, () => this.#heapKeys),
    };
  }

  /** Takes over exported state (same capacity). */
  load(state: SpaceSavingState): void {
    this.floor = state.floor;
    this.#error = grown(Float64Array.from(state.error), state.error.length + 1, this.capacity);
    this.#tenure = grown(Uint32Array.from(state.tenure), state.tenure.length + 1, this.capacity);
    this.#heapIds = grown(Uint32Array.from(state.heapIds), state.heapIds.length + 1, this.capacity);
    this.#heapKeys = grown(Float64Array.from(state.heapKeys), state.heapKeys.length + 1, this.capacity);
    this.#heapSize = state.heapIds.length;
    this.#active = true;
  }
}

export interface SpaceSavingState {
  readonly floor: number;
  readonly error: Float64Array;
  readonly tenure: Uint32Array;
  readonly heapIds: Uint32Array;
  readonly heapKeys: Float64Array;
}
