/**
 * A map that forgets: at most `maxEntries` keys, each for at most `maxAgeMs` after it was first
 * set. Both ends of the line socket remember posts with it (the ingestor to de-duplicate and to map
 * local ids to `uri`s, the aggregator to retract what a post contributed), and neither may grow
 * without bound on a stream that never ends.
 *
 * Entries are evicted oldest first. Setting a key again changes its value but not its age, so the
 * Map's insertion order stays the order of ages and eviction is O(1) per entry. Time is passed in.
 */
export interface ExpiringMapLimits {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
}

interface Slot<V> {
  value: V;
  readonly since: number;
}

/** One entry as plain data: its key, its value and when it was first set. */
export interface AgedEntry<K, V> {
  readonly key: K;
  readonly value: V;
  readonly since: number;
}

export class ExpiringMap<K, V> {
  readonly #limits: ExpiringMapLimits;
  readonly #slots = new Map<K, Slot<V>>();
  #evicted = 0;

  constructor(limits: ExpiringMapLimits) {
    if (!(limits.maxEntries >= 1) || !(limits.maxAgeMs > 0)) throw new RangeError("an expiring map needs maxEntries >= 1 and maxAgeMs > 0");
    this.#limits = limits;
  }

  get(key: K, now: number): V | undefined {
    this.#expire(now);
    return this.#slots.get(key)?.value;
  }

  has(key: K, now: number): boolean {
    this.#expire(now);
    return this.#slots.has(key);
  }

  set(key: K, value: V, now: number): void {
    this.#expire(now);
    const slot = this.#slots.get(key);
    if (slot !== undefined) {
      slot.value = value;
      return;
    }
    this.#slots.set(key, { value, since: now });
    if (this.#slots.size > this.#limits.maxEntries) this.#evictOldest();
  }

  /** Removes the key and returns what it held. */
  take(key: K, now: number): V | undefined {
    this.#expire(now);
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    this.#slots.delete(key);
    return slot.value;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Every entry with its age, oldest first: what `load` takes back. */
  entries(): Array<AgedEntry<K, V>> {
    return Array.from(this.#slots, ([key, slot]) => ({ key, value: slot.value, since: slot.since }));
  }

  /** Calls `visit` for every entry, oldest first, without making an object of each. */
  forEach(visit: (key: K, value: V, since: number) => void): void {
    for (const [key, slot] of this.#slots) visit(key, slot.value, slot.since);
  }

  /**
   * Fills an empty map with exported entries, oldest first, keeping the ages they had: a restarted
   * process forgets each one when the original would have. The entry limit applies as they come in.
   */
  load(entries: Iterable<AgedEntry<K, V>>): void {
    if (this.#slots.size > 0) throw new RangeError("load fills an empty map only");
    for (const { key, value, since } of entries) {
      this.#slots.set(key, { value, since });
      if (this.#slots.size > this.#limits.maxEntries) this.#evictOldest();
    }
  }

  /** Entries forgotten because of age or room, since creation. */
  get evicted(): number {
    return this.#evicted;
  }

  #expire(now: number): void {
    const oldest = now - this.#limits.maxAgeMs;
    for (const slot of this.#slots.values()) {
      if (slot.since > oldest) return;
      this.#evictOldest();
    }
  }

  #evictOldest(): void {
    const first = this.#slots.keys().next();
    if (first.done === true) return;
    this.#slots.delete(first.value);
    this.#evicted++;
  }
}
