/**
 * Keeps one window's top-K from tick to tick without scanning every tag.
 *
 * It holds a set of member ids (at most K) and a floor: an upper bound on the count of every id
 * outside the set. Counts only grow through a closed bucket, so after a tick the only ids that can
 * newly belong among the best are those of the bucket whose count now exceeds the floor (the count
 * rows pick them out as they fold the bucket in); they are merged with the members and the best K kept, and whatever drops out raises the floor. Decreases
 * (expiry, retraction) need no work: a smaller count still lies under the floor. The top n is
 * certain while the n-th member's count is above the floor; otherwise, rarely, one full scan
 * rebuilds the set. A tick then costs O(bucket) rather than O(distinct tags). This is the
 * candidate-set-with-threshold scheme of top-k monitoring (Mouratidis, Bakiras, Papadias,
 * "Continuous monitoring of top-k queries over sliding windows", SIGMOD 2006), specialised to counts.
 */
import { grown, initialIds } from "./id-arrays.ts";
import { countIn, type CountColumn } from "./count-rows.ts";
import { selectTop, TopSelector, type NameOrder, type Ranked } from "./top-n.ts";

export class TopTracker {
  readonly #capacity: number;
  #members: number[] = [];
  #isMember: Uint8Array;
  #floor = 0;
  /** True when the members and the floor were last settled by a full scan or a merge. */
  #settled = false;

  readonly #tags: number | undefined;

  /**
   * `capacity`: the K kept, comfortably above the N asked for so that churn rarely forces a scan;
   * `tags`: the most tags held at once, if bounded (see id-arrays.ts).
   */
  constructor(capacity: number, tags?: number) {
    this.#capacity = capacity;
    this.#tags = tags;
    this.#isMember = new Uint8Array(initialIds(tags));
  }

  /** Every id outside the set has at most this count; one that rises above it is a candidate (none is needed before the first scan). */
  get floor(): number {
    return this.#settled ? this.#floor : Number.POSITIVE_INFINITY;
  }

  /**
   * Brings the set up to date after counts changed: `risers` are ids whose count rose above the
   * floor (others may have fallen). `limit` bounds the ids for a full scan when one is needed.
   */
  update(counts: CountColumn, risers: readonly number[], limit: number, byName: NameOrder): void {
    if (!this.#settled) {
      this.#rescan(counts, limit, byName);
      return;
    }
    const selector = new TopSelector(counts, this.#capacity, byName);
    for (const id of this.#members) selector.offer(id);
    // An id may rise twice in one tick (a late post's interval, then the interval closing): offered once.
    const offered = new Set<number>();
    for (const id of risers) {
      if (this.#has(id) || offered.has(id)) continue;
      offered.add(id);
      selector.offer(id);
    }
    this.#adopt(selector);
  }

  /** The best `n` if the set can tell them for certain, best first; undefined when it cannot. */
  top(counts: CountColumn, n: number): Ranked[] | undefined {
    if (!this.#settled || n > this.#capacity) return undefined;
    const members = this.#members;
    if (members.length < n) return this.#floor === 0 ? this.#ranked(counts, members.length) : undefined;
    if (n > 0 && countIn(counts, members[n - 1] as number) <= this.#floor) return undefined;
    return this.#ranked(counts, n);
  }

  /** The best `n`, from the set when it is certain, else after a full scan. */
  topOrScan(counts: CountColumn, n: number, limit: number, byName: NameOrder): Ranked[] {
    const known = this.top(counts, n);
    if (known !== undefined) return known;
    if (n > this.#capacity) return selectTop(counts, limit, n, byName);
    this.#rescan(counts, limit, byName);
    return this.top(counts, n) ?? selectTop(counts, limit, n, byName);
  }

  /** Drops `id` (its tag is gone); the set stays sound. */
  forget(id: number): void {
    if (!this.#has(id)) return;
    this.#isMember[id] = 0;
    this.#members = this.#members.filter((m) => m !== id);
  }

  /** Forces a full scan at the next update. */
  invalidate(): void {
    this.#settled = false;
  }

  #rescan(counts: CountColumn, limit: number, byName: NameOrder): void {
    for (const id of this.#members) this.#isMember[id] = 0;
    this.#members = [];
    this.#floor = 0;
    const selector = new TopSelector(counts, this.#capacity, byName);
    for (let id = 0; id < limit; id++) selector.offer(id);
    this.#adopt(selector);
  }

  #adopt(selector: TopSelector): void {
    for (const id of this.#members) this.#isMember[id] = 0;
    this.#members = selector.ranked().map((r) => r.id);
    for (const id of this.#members) {
      if (id >= this.#isMember.length) this.#isMember = grown(this.#isMember, id + 1, this.#tags);
      this.#isMember[id] = 1;
    }
    this.#floor = Math.max(this.#floor, selector.bestRejected);
    this.#settled = true;
  }

  #ranked(counts: CountColumn, n: number): Ranked[] {
    return this.#members.slice(0, n).map((id) => ({ id, count: countIn(counts, id) }));
  }

  #has(id: number): boolean {
    return id < this.#isMember.length && this.#isMember[id] === 1;
  }
}
