/**
 * A hash table keyed by two small integers, for the (tag, account) pairs of account-counts.ts.
 * A Map keyed by a string "tag\naccount" cost a concatenation, its hashing and a comparison of the
 * whole key for every tag of every post; here a key is two ids compared as numbers.
 *
 * Open addressing with linear probing, and deletion by shifting the entries that follow back
 * (Knuth's Algorithm R, TAOCP vol. 3, 6.4), so that no tombstones build up under the steady
 * stream of pairs forgotten at the capacity.
 */
const EMPTY = -1;
const MIN_SLOTS = 1024;

export class PairTable<V> {
  #first = new Int32Array(MIN_SLOTS).fill(EMPTY);
  #second = new Int32Array(MIN_SLOTS);
  #values: Array<V | undefined> = new Array<V | undefined>(MIN_SLOTS).fill(undefined);
  #mask = MIN_SLOTS - 1;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(first: number, second: number): V | undefined {
    const at = this.#find(first, second);
    return at === -1 ? undefined : this.#values[at];
  }

  /** Sets the value of a key not held yet. */
  add(first: number, second: number, value: V): void {
    if (2 * (this.#size + 1) > this.#first.length) this.#grow();
    let at = this.#slotOf(first, second);
    while (this.#first[at] !== EMPTY) at = (at + 1) & this.#mask;
    this.#first[at] = first;
    this.#second[at] = second;
    this.#values[at] = value;
    this.#size++;
  }

  /** Removes the key; false when it was not held. */
  delete(first: number, second: number): boolean {
    let hole = this.#find(first, second);
    if (hole === -1) return false;
    this.#size--;
    // Every entry after the hole up to the next empty slot moves back into it unless its home slot
    // lies cyclically in (hole, entry], where moving it would put it before its home.
    for (let at = (hole + 1) & this.#mask; this.#first[at] !== EMPTY; at = (at + 1) & this.#mask) {
      const home = this.#slotOf(this.#first[at] as number, this.#second[at] as number);
      const stays = hole <= at ? hole < home && home <= at : hole < home || home <= at;
      if (stays) continue;
      this.#first[hole] = this.#first[at] as number;
      this.#second[hole] = this.#second[at] as number;
      this.#values[hole] = this.#values[at];
      hole = at;
    }
    this.#first[hole] = EMPTY;
    this.#values[hole] = undefined;
    return true;
  }

  #find(first: number, second: number): number {
    for (let at = this.#slotOf(first, second); ; at = (at + 1) & this.#mask) {
      const held = this.#first[at] as number;
      if (held === EMPTY) return -1;
      if (held === first && this.#second[at] === second) return at;
    }
  }

  #slotOf(first: number, second: number): number {
    let hash = Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca77);
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    hash ^= hash >>> 13;
    return hash & this.#mask;
  }

  #grow(): void {
    const first = this.#first;
    const second = this.#second;
    const values = this.#values;
    const slots = 2 * first.length;
    this.#first = new Int32Array(slots).fill(EMPTY);
    this.#second = new Int32Array(slots);
    this.#values = new Array<V | undefined>(slots).fill(undefined);
    this.#mask = slots - 1;
    this.#size = 0;
    for (let at = 0; at < first.length; at++) {
      if (first[at] !== EMPTY) this.add(first[at] as number, second[at] as number, values[at] as V);
    }
  }
}
