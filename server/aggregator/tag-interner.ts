/**
 * Maps each distinct tag name to a small integer id, once, so that every window counts in typed
 * arrays indexed by id instead of in string-keyed maps.
 *
 * Names are keyed by their UTF-8 bytes, so that the intake can count a tag straight from the
 * socket's Buffer without first making a string of it. The table is open addressing with linear
 * probing and backward-shift deletion (Knuth, TAOCP vol. 3, §6.4, Algorithm R), so ids can be
 * released when a capacity is enforced; names live back to back in one byte arena, compacted when
 * released names waste more than half of it.
 */
import { grown } from "./count-bucket.ts";
import { fnvByte, FNV_OFFSET, utf8Compare } from "./tag-bytes.ts";

const MIN_TABLE = 1 << 12;

export class TagInterner {
  #arena = new Uint8Array(1 << 16);
  #text = Buffer.from(this.#arena.buffer);
  #arenaEnd = 0;
  #wasted = 0;
  /** Per id: where its name starts in the arena, its length in bytes (0 = released), its hash. */
  #starts = new Uint32Array(1024);
  #lengths = new Uint32Array(1024);
  #hashes = new Uint32Array(1024);
  /** Hash slots holding id + 1 (0 = empty), at most half full. */
  #slots = new Int32Array(MIN_TABLE);
  #limit = 0;
  #size = 0;
  readonly #free: number[] = [];
  #scratch = Buffer.allocUnsafe(1024);
  /** Ids given to new names since the last `takeAdmitted`, when asked to keep them. */
  #admitted: number[] | undefined;

  /** The id of the name in `bytes[start..end)` (UTF-8) whose hash is `hash`, assigning one on first sight. */
  internBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.#slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.#slots[slot] as number;
      if (held === 0) return this.#add(slot, bytes, start, length, hash);
      const id = held - 1;
      if (this.#hashes[id] === hash && this.#lengths[id] === length && this.#sameBytes(id, bytes, start, length)) return id;
    }
  }

  /** The id of `name`, assigning one on first sight. Names must already be normalised. */
  intern(name: string): number {
    const length = this.#encode(name);
    return this.internBytes(this.#scratch, 0, length, hashBytes(this.#scratch, 0, length));
  }

  /** The id of `name` if it is held. */
  lookup(name: string): number | undefined {
    const length = this.#encode(name);
    const id = this.#find(this.#scratch, 0, length, hashBytes(this.#scratch, 0, length));
    return id === -1 ? undefined : id;
  }

  name(id: number): string {
    const length = id < this.#limit ? (this.#lengths[id] as number) : 0;
    if (length === 0) throw new RangeError(`unknown tag id ${id}`);
    const start = this.#starts[id] as number;
    return this.#text.toString("utf8", start, start + length);
  }

  /** True when `id` names a tag now (not released, not yet unassigned). */
  holds(id: number): boolean {
    return id < this.#limit && this.#lengths[id] !== 0;
  }

  /** Orders two held ids by name in UTF-16 code-unit order, the wire's tie-break. */
  compare(a: number, b: number): number {
    return utf8Compare(this.#arena, this.#starts[a] as number, this.#lengths[a] as number, this.#starts[b] as number, this.#lengths[b] as number);
  }

  /** Forgets `id`'s name; the id is reused by a later new name. */
  release(id: number): void {
    if (!this.holds(id)) return;
    const mask = this.#slots.length - 1;
    let hole = (this.#hashes[id] as number) & mask;
    while (this.#slots[hole] !== id + 1) hole = (hole + 1) & mask;
    // Backward-shift deletion: pull later entries of the same probe run into the hole.
    for (let next = (hole + 1) & mask; this.#slots[next] !== 0; next = (next + 1) & mask) {
      const home = (this.#hashes[(this.#slots[next] as number) - 1] as number) & mask;
      const between = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!between) {
        this.#slots[hole] = this.#slots[next] as number;
        hole = next;
      }
    }
    this.#slots[hole] = 0;
    this.#wasted += this.#lengths[id] as number;
    this.#lengths[id] = 0;
    this.#free.push(id);
    this.#size--;
    if (this.#wasted > 1 << 16 && this.#wasted * 2 > this.#arenaEnd) this.#compactArena();
  }

  /** Keeps the ids given to new names from now on, for `takeAdmitted`. */
  trackAdmissions(): void {
    this.#admitted ??= [];
  }

  /** Ids given to new names since the last call (empty unless tracking admissions). */
  takeAdmitted(): number[] {
    const admitted = this.#admitted ?? [];
    if (this.#admitted !== undefined) this.#admitted = [];
    return admitted;
  }

  /** How many ids `takeAdmitted` would return now. */
  get pendingAdmissions(): number {
    return this.#admitted?.length ?? 0;
  }

  /** Every id's name as UTF-8 (released ids have length 0), and the free ids in reuse order. */
  exportState(): InternerState {
    const lengths = this.#lengths.slice(0, this.#limit);
    const bytes = new Uint8Array(this.#arenaEnd - this.#wasted);
    let at = 0;
    for (let id = 0; id < this.#limit; id++) {
      const start = this.#starts[id] as number;
      bytes.set(this.#arena.subarray(start, start + (lengths[id] as number)), at);
      at += lengths[id] as number;
    }
    return { bytes, lengths, free: Uint32Array.from(this.#free), admitted: Uint32Array.from(this.#admitted ?? []) };
  }

  /** Takes over exported state: every name keeps its id. */
  load(state: InternerState): void {
    const limit = state.lengths.length;
    this.#arena = grown(Uint8Array.from(state.bytes), state.bytes.length + 1);
    this.#text = Buffer.from(this.#arena.buffer);
    this.#arenaEnd = state.bytes.length;
    this.#wasted = 0;
    this.#starts = new Uint32Array(limit + 1);
    this.#lengths = grown(Uint32Array.from(state.lengths), limit + 1);
    this.#hashes = new Uint32Array(limit + 1);
    let at = 0;
    this.#size = 0;
    for (let id = 0; id < limit; id++) {
      const length = state.lengths[id] as number;
      this.#starts[id] = at;
      this.#hashes[id] = hashBytes(this.#arena, at, at + length);
      at += length;
      if (length > 0) this.#size++;
    }
    this.#limit = limit;
    this.#free.splice(0, this.#free.length, ...state.free);
    if (this.#admitted !== undefined) this.#admitted = [...state.admitted];
    this.#rehash(2 ** Math.ceil(Math.log2(Math.max(2, this.#size * 2 + 1))));
  }

  /** Names held now. */
  get size(): number {
    return this.#size;
  }

  /** One past the highest id ever assigned: the length of every array indexed by id. */
  get idLimit(): number {
    return this.#limit;
  }

  #find(bytes: Uint8Array, start: number, length: number, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.#slots[slot] as number;
      if (held === 0) return -1;
      const id = held - 1;
      if (this.#hashes[id] === hash && this.#lengths[id] === length && this.#sameBytes(id, bytes, start, length)) return id;
    }
  }

  #sameBytes(id: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.#arena;
    const at = this.#starts[id] as number;
    for (let i = 0; i < length; i++) if (arena[at + i] !== bytes[start + i]) return false;
    return true;
  }

  #add(slot: number, bytes: Uint8Array, start: number, length: number, hash: number): number {
    const id = this.#free.pop() ?? this.#limit++;
    if (id >= this.#starts.length) this.#growIds();
    if (this.#arenaEnd + length > this.#arena.length) this.#growArena(length);
    this.#arena.set(bytes.subarray(start, start + length), this.#arenaEnd);
    this.#starts[id] = this.#arenaEnd;
    this.#lengths[id] = length;
    this.#hashes[id] = hash;
    this.#arenaEnd += length;
    this.#slots[slot] = id + 1;
    this.#size++;
    this.#admitted?.push(id);
    if (this.#size * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
    return id;
  }

  #growIds(): void {
    this.#starts = grown(this.#starts, this.#limit);
    this.#lengths = grown(this.#lengths, this.#limit);
    this.#hashes = grown(this.#hashes, this.#limit);
  }

  #growArena(needed: number): void {
    let length = this.#arena.length * 2;
    while (length < this.#arenaEnd + needed) length *= 2;
    const next = new Uint8Array(length);
    next.set(this.#arena.subarray(0, this.#arenaEnd));
    this.#arena = next;
    this.#text = Buffer.from(next.buffer);
  }

  #compactArena(): void {
    const next = new Uint8Array(Math.max(1 << 16, (this.#arenaEnd - this.#wasted) * 2));
    let end = 0;
    for (let id = 0; id < this.#limit; id++) {
      const length = this.#lengths[id] as number;
      if (length === 0) continue;
      const start = this.#starts[id] as number;
      next.set(this.#arena.subarray(start, start + length), end);
      this.#starts[id] = end;
      end += length;
    }
    this.#arena = next;
    this.#text = Buffer.from(next.buffer);
    this.#arenaEnd = end;
    this.#wasted = 0;
  }

  #rehash(tableLength: number): void {
    const slots = new Int32Array(Math.max(MIN_TABLE, tableLength));
    const mask = slots.length - 1;
    for (let id = 0; id < this.#limit; id++) {
      if (this.#lengths[id] === 0) continue;
      let slot = (this.#hashes[id] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.#slots = slots;
  }

  /** Writes `name` as UTF-8 into the scratch buffer; returns its length in bytes. */
  #encode(name: string): number {
    if (name.length * 3 > this.#scratch.length) this.#scratch = Buffer.allocUnsafe(name.length * 3);
    const scratch = this.#scratch;
    for (let i = 0; i < name.length; i++) {
      const code = name.charCodeAt(i);
      if (code >= 0x80) return scratch.write(name, 0, "utf8");
      scratch[i] = code;
    }
    return name.length;
  }
}

export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = fnvByte(hash, bytes[i] as number);
  return hash >>> 0;
}

export interface InternerState {
  readonly bytes: Uint8Array;
  readonly lengths: Uint32Array;
  readonly free: Uint32Array;
  /** Ids of names first seen since the last tick. */
  readonly admitted: Uint32Array;
}
