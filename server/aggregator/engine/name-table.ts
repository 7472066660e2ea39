/**
 * The interner's hash table: names (as UTF-8 bytes) to ids, by open addressing with linear probing
 * and backward-shift deletion (Knuth, TAOCP vol. 3, §6.4, Algorithm R), kept at most 3/4 full:
 * with four slots to a cache line, a probe past the home slot is still mostly in the same line.
 *
 * Finding a name is the intake's hottest step, and with a million names it is bound by cache
 * misses, so a slot (16 bytes, four to a cache line) holds all a probe needs: the id and, for a name
 * of up to 11 bytes, the name itself, so that a hit reads that one cache line and nothing else. A
 * longer name keeps its hash, its place in the arena and its length: one more line on a hit. This
 * is the small-string optimisation, in the 16-byte layout of "German strings" (Neumann, Freitag,
 * "Umbra: A Disk-Based System with In-Memory Performance", CIDR 2020).
 */
import type { NameArena } from "./name-arena.ts";
import { initialIds } from "./id-arrays.ts";
import { FNV_OFFSET, fnvByte, hashBytes } from "./tag-bytes.ts";

/** Words per slot: id + 1 (0 = empty), then the name inline, or its hash, arena start and LONG | length. */
const WORDS = 4;
const MIN_SLOTS = 1 << 12;
/** Longest name kept inline: 11 bytes, with its length in the top byte of the last word. */
const INLINE_BYTES = 11;
/** Top byte of a long name's last word; an inline name's top byte is its length (at most 11). */
const LONG = 0xff << 24;
/** A rebuild files names region by region of 2^8 slots (4 KB), so that each region's writes stay in cache. */
const REGION_SLOT_BITS = 8;

export class NameTable {
  readonly #arena: NameArena;
  #slots: Int32Array;
  #mask: number;
  #held = 0;

  /** `capacity`: the most names held at once, if bounded: the table starts with room for it (see id-arrays.ts). */
  constructor(arena: NameArena, capacity?: number) {
    this.#arena = arena;
    const count = slotsFor(capacity === undefined ? 0 : initialIds(capacity));
    this.#slots = new Int32Array(count * WORDS);
    this.#mask = count - 1;
  }

  /** The id of the name in `bytes[start..start+length)` with FNV-1a hash `hash`; if absent, -1 - the empty slot it would take. */
  probe(bytes: Uint8Array, start: number, length: number, hash: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    if (length <= INLINE_BYTES) {
      const a = word(bytes, start, length);
      const b = length > 4 ? word(bytes, start + 4, length - 4) : 0;
      const c = (length > 8 ? word(bytes, start + 8, length - 8) : 0) | (length << 24);
      for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
        const at = slot * WORDS;
        const held = slots[at] as number;
        if (held === 0) return -1 - slot;
        if (slots[at + 3] === c && slots[at + 1] === a && slots[at + 2] === b) return held - 1;
      }
    }
    const c = LONG | Math.min(length, 0xffffff);
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot * WORDS;
      const held = slots[at] as number;
      if (held === 0) return -1 - slot;
      if (slots[at + 3] === c && slots[at + 1] === (hash | 0) && this.#arena.lengthOf(held - 1) === length && this.#arena.equals(slots[at + 2] as number, bytes, start, length)) {
        return held - 1;
      }
    }
  }

  /** Files `id`, whose name is in the arena, in the empty `slot` that `probe` returned for it; may grow the table. */
  put(slot: number, id: number, hash: number): void {
    this.#fill(slot, id, hash);
    if (++this.#held * 4 > (this.#mask + 1) * 3) this.#rehash(2 * (this.#mask + 1));
  }

  /** Takes out held `id`, whose name is still in the arena. */
  remove(id: number): void {
    const start = this.#arena.startOf(id);
    const hash = hashBytes(this.#arena.bytes, start, start + this.#arena.lengthOf(id));
    const slots = this.#slots;
    const mask = this.#mask;
    let hole = hash & mask;
    while (slots[hole * WORDS] !== id + 1) hole = (hole + 1) & mask;
    // Backward-shift deletion: pull later entries of the same probe run into the hole.
    for (let next = (hole + 1) & mask; slots[next * WORDS] !== 0; next = (next + 1) & mask) {
      const home = slotHash(slots, next * WORDS) & mask;
      const between = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!between) {
        slots.copyWithin(hole * WORDS, next * WORDS, next * WORDS + WORDS);
        hole = next;
      }
    }
    slots.fill(0, hole * WORDS, hole * WORDS + WORDS);
    this.#held--;
  }

  /**
   * Refiles every id [0, limit) the arena names, in a table sized for them. Filed in id order, each
   * name would land in a random slot of a table far larger than the cache (32 MB for a million
   * names): one miss per name. Filed in order of home slot instead (a counting sort on its top
   * bits), consecutive names land within a few kilobytes of each other. Where a name ends up in a
   * run of collisions depends on the order, but a probe finds it all the same.
   */
  rebuild(limit: number): void {
    const bytes = this.#arena.bytes;
    const hashes = new Int32Array(limit);
    let held = 0;
    for (let id = 0; id < limit; id++) {
      const length = this.#arena.lengthOf(id);
      if (length === 0) continue;
      const start = this.#arena.startOf(id);
      hashes[id] = hashBytes(bytes, start, start + length);
      held++;
    }
    const count = Math.max(slotsFor(held), this.#mask + 1);
    this.#slots = new Int32Array(count * WORDS);
    this.#mask = count - 1;
    this.#held = held;
    const regions = new Uint32Array((count >>> REGION_SLOT_BITS) + 1);
    for (let id = 0; id < limit; id++) {
      if (this.#arena.lengthOf(id) === 0) continue;
      const region = ((hashes[id] as number) & this.#mask) >>> REGION_SLOT_BITS;
      regions[region + 1] = (regions[region + 1] as number) + 1;
    }
    for (let r = 1; r < regions.length; r++) regions[r] = (regions[r] as number) + (regions[r - 1] as number);
    const order = new Uint32Array(held);
    for (let id = 0; id < limit; id++) {
      if (this.#arena.lengthOf(id) === 0) continue;
      const region = ((hashes[id] as number) & this.#mask) >>> REGION_SLOT_BITS;
      order[regions[region] as number] = id;
      regions[region] = (regions[region] as number) + 1;
    }
    for (let i = 0; i < held; i++) {
      const id = order[i] as number;
      const hash = hashes[id] as number;
      this.#fill(this.#emptySlot(hash), id, hash);
    }
  }

  /** After the arena moved names: long names' slots point at their new starts. */
  refreshLongStarts(): void {
    const slots = this.#slots;
    for (let at = 0; at < slots.length; at += WORDS) {
      if (slots[at] !== 0 && ((slots[at + 3] as number) & LONG) === LONG) slots[at + 2] = this.#arena.startOf((slots[at] as number) - 1);
    }
  }

  #fill(slot: number, id: number, hash: number): void {
    const bytes = this.#arena.bytes;
    const start = this.#arena.startOf(id);
    const length = this.#arena.lengthOf(id);
    const at = slot * WORDS;
    const slots = this.#slots;
    slots[at] = id + 1;
    if (length <= INLINE_BYTES) {
      slots[at + 1] = word(bytes, start, length);
      slots[at + 2] = length > 4 ? word(bytes, start + 4, length - 4) : 0;
      slots[at + 3] = (length > 8 ? word(bytes, start + 8, length - 8) : 0) | (length << 24);
    } else {
      slots[at + 1] = hash | 0;
      slots[at + 2] = start;
      slots[at + 3] = LONG | Math.min(length, 0xffffff);
    }
  }

  #emptySlot(hash: number): number {
    let slot = hash & this.#mask;
    while (this.#slots[slot * WORDS] !== 0) slot = (slot + 1) & this.#mask;
    return slot;
  }

  #rehash(count: number): void {
    const old = this.#slots;
    this.#slots = new Int32Array(count * WORDS);
    this.#mask = count - 1;
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at] !== 0) this.#slots.set(old.subarray(at, at + WORDS), this.#emptySlot(slotHash(old, at)) * WORDS);
    }
  }
}

/** The smallest power-of-two slot count that holds `names` at most 3/4 full. */
function slotsFor(names: number): number {
  let count = MIN_SLOTS;
  while (count * 3 < names * 4) count *= 2;
  return count;
}

/** Up to 4 bytes from `bytes[at..]` as one little-endian word, the rest zero. */
function word(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count && i < 4; i++) value |= (bytes[at + i] as number) << (i * 8);
  return value;
}

/** The FNV-1a hash of the name in the slot at word `at`: stored for a long name, recomputed for an inline one. */
function slotHash(slots: Int32Array, at: number): number {
  const c = slots[at + 3] as number;
  if ((c & LONG) === LONG) return (slots[at + 1] as number) >>> 0;
  let hash = FNV_OFFSET;
  for (let i = 0; i < c >>> 24; i++) hash = fnvByte(hash, ((slots[at + 1 + (i >> 2)] as number) >>> ((i & 3) * 8)) & 0xff);
  return hash >>> 0;
}
