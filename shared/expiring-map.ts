/**
 * A map that forgets: at most `maxEntries` keys, each for at most `maxAgeMs` after it was first
 * set. Both ends of the line socket remember posts with it (the ingestor to de-duplicate and to map
 * local ids to `uri`s, the aggregator to retract what a post contributed), and neither may grow
 * without bound on a stream that never ends.
 *
 * Entries are evicted oldest first. Setting a key again changes its value but not its age, so the
 * Map's insertion order stays the order of ages. The oldest is found from a queue of its own
 * rather than from the Map's first entry: V8 leaves a deleted entry's place empty until the table
 * is rebuilt, so a Map that forgets from its front makes every walk from the start skip all the
 * entries deleted since, which on a full post memory cost more than the rest of a post's work.
 * Eviction is amortised O(1) per entry. Time is passed in.
 *
 * `snapshot()` is the map as of one instant, read later entry by entry while the map goes on
 * changing: an entry about to be replaced or removed before the snapshot has read it is kept for
 * it (copy-on-write), so taking one costs nothing however large the map.
 */
export interface ExpiringMapLimits {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
}

interface Slot<V> {
  readonly value: V;
  readonly since: number;
  /** Order of first insertion: a snapshot holds the entries numbered below its limit. */
  readonly serial: number;
}

/** The map as it was when `snapshot()` was called. */
export interface ExpiringMapSnapshot<K, V> {
  /** Entries held at the snapshot. */
  readonly size: number;
  /** The next entry, oldest first; undefined after the last. */
  next(): AgedEntry<K, V> | undefined;
  /** Done with it before reading it all: the map stops keeping entries for it. */
  release(): void;
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
  readonly #onEvict: ((key: K, value: V) => void) | undefined;
  #evicted = 0;
  #serial = 0;
  /**
   * Keys in order of first insertion from `#head` on, with their serials: an entry whose key is
   * gone, or now held under another serial (taken and set again), is stale and skipped.
   */
  #order: K[] = [];
  #orderSerials: number[] = [];
  #head = 0;
  /** Snapshots still being read, each told before an entry it may not have read changes. */
  readonly #readers = new Set<SnapshotReader<K, V>>();

  /** `onEvict` hears of every entry forgotten for age or room (not of those taken). */
  constructor(limits: ExpiringMapLimits, onEvict?: (key: K, value: V) => void) {
    if (!(limits.maxEntries >= 1) || !(limits.maxAgeMs > 0)) throw new RangeError("an expiring map needs maxEntries >= 1 and maxAgeMs > 0");
    this.#limits = limits;
    this.#onEvict = onEvict;
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
      this.#beforeChange(key, slot);
      this.#slots.set(key, { value, since: slot.since, serial: slot.serial });
      return;
    }
    this.#insert(key, value, now);
    if (this.#slots.size > this.#limits.maxEntries) this.evictOldest();
  }

  #insert(key: K, value: V, since: number): void {
    const serial = this.#serial++;
    this.#slots.set(key, { value, since, serial });
    this.#order.push(key);
    this.#orderSerials.push(serial);
    // Taken entries leave stale places behind: drop them once they outnumber the live ones.
    if (this.#order.length - this.#head > 2 * this.#slots.size + 1024) this.#compact();
  }

  #compact(): void {
    const order: K[] = [];
    const serials: number[] = [];
    for (let at = this.#head; at < this.#order.length; at++) {
      const key = this.#order[at] as K;
      const serial = this.#orderSerials[at] as number;
      if (this.#slots.get(key)?.serial === serial) {
        order.push(key);
        serials.push(serial);
      }
    }
    this.#order = order;
    this.#orderSerials = serials;
    this.#head = 0;
  }

  /** The oldest entry held, its stale places before it skipped; undefined when empty. */
  #oldest(): [K, Slot<V>] | undefined {
    while (this.#head < this.#order.length) {
      const key = this.#order[this.#head] as K;
      const slot = this.#slots.get(key);
      if (slot !== undefined && slot.serial === this.#orderSerials[this.#head]) return [key, slot];
      this.#head++;
    }
    this.#order = [];
    this.#orderSerials = [];
    this.#head = 0;
    return undefined;
  }

  /** Removes the key and returns what it held. */
  take(key: K, now: number): V | undefined {
    this.#expire(now);
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    this.#beforeChange(key, slot);
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

  /** The entries as they are now, to read later (see the class comment); values are kept, not copied. */
  snapshot(): ExpiringMapSnapshot<K, V> {
    const reader = new SnapshotReader(this.#slots, this.#serial, () => this.#readers.delete(reader));
    if (reader.size > 0) this.#readers.add(reader);
    return reader;
  }

  /**
   * Fills an empty map with exported entries, oldest first, keeping the ages they had: a restarted
   * process forgets each one when the original would have. The entry limit applies as they come in.
   */
  load(entries: Iterable<AgedEntry<K, V>>): void {
    if (this.#slots.size > 0) throw new RangeError("load fills an empty map only");
    for (const { key, value, since } of entries) {
      this.#insert(key, value, since);
      if (this.#slots.size > this.#limits.maxEntries) this.evictOldest();
    }
  }

  /** Entries forgotten because of age or room, since creation. */
  get evicted(): number {
    return this.#evicted;
  }

  #expire(now: number): void {
    const horizon = now - this.#limits.maxAgeMs;
    for (let oldest = this.#oldest(); oldest !== undefined && oldest[1].since <= horizon; oldest = this.#oldest()) this.evictOldest();
  }

  /** Forgets the oldest entry, for a bound the map does not know of (e.g. bytes); false when empty. */
  evictOldest(): boolean {
    const oldest = this.#oldest();
    if (oldest === undefined) return false;
    const [key, slot] = oldest;
    this.#head++;
    this.#beforeChange(key, slot);
    this.#slots.delete(key);
    this.#evicted++;
    this.#onEvict?.(key, slot.value);
    return true;
  }

  #beforeChange(key: K, slot: Slot<V>): void {
    if (this.#readers.size > 0) for (const reader of this.#readers) reader.keep(key, slot);
  }
}

/**
 * Reads the entries numbered below `limit` in the order of their numbers: those still in the map
 * from a live iterator (a Map's iterator goes on over deletions and sees later insertions at its
 * end), merged with the entries kept for it when they changed before it read them.
 */
class SnapshotReader<K, V> implements ExpiringMapSnapshot<K, V> {
  readonly size: number;
  readonly #limit: number;
  readonly #live: Iterator<[K, Slot<V>]>;
  /** The next entry of the live iterator, not yet given out. */
  #ahead: [K, Slot<V>] | undefined;
  #liveDone = false;
  /** Kept entries by number, and their numbers in ascending order. */
  readonly #kept = new Map<number, [K, Slot<V>]>();
  #keptOrder: number[] = [];
  #keptSorted = true;
  /** Number of the last entry given out. */
  #read = -1;
  #given = 0;
  readonly #done: () => void;

  constructor(slots: Map<K, Slot<V>>, limit: number, done: () => void) {
    this.size = slots.size;
    this.#limit = limit;
    this.#live = slots.entries();
    this.#done = done;
  }

  keep(key: K, slot: Slot<V>): void {
    if (slot.serial > this.#read && slot.serial < this.#limit && !this.#kept.has(slot.serial)) {
      this.#kept.set(slot.serial, [key, slot]);
      this.#keptOrder.push(slot.serial);
      this.#keptSorted = false;
    }
  }

  next(): AgedEntry<K, V> | undefined {
    if (this.#given >= this.size) return undefined;
    const live = this.#peekLive();
    if (!this.#keptSorted) {
      this.#keptOrder.sort((a, b) => b - a);
      this.#keptSorted = true;
    }
    const kept = this.#keptOrder.at(-1);
    let entry: [K, Slot<V>];
    if (kept !== undefined && (live === undefined || kept <= live[1].serial)) {
      this.#keptOrder.pop();
      entry = this.#kept.get(kept) as [K, Slot<V>];
      this.#kept.delete(kept);
      // The live iterator still holds the entry's replacement: it was read as it was.
      if (live !== undefined && live[1].serial === kept) this.#ahead = undefined;
    } else if (live !== undefined) {
      entry = live;
      this.#ahead = undefined;
    } else {
      throw new Error("snapshot lost an entry");
    }
    this.#read = entry[1].serial;
    if (++this.#given === this.size) this.release();
    return { key: entry[0], value: entry[1].value, since: entry[1].since };
  }

  release(): void {
    this.#done();
  }

  #peekLive(): [K, Slot<V>] | undefined {
    if (this.#ahead !== undefined || this.#liveDone) return this.#ahead;
    const next = this.#live.next();
    if (next.done === true || next.value[1].serial >= this.#limit) {
      this.#liveDone = true;
      return undefined;
    }
    this.#ahead = next.value;
    return this.#ahead;
  }
}
