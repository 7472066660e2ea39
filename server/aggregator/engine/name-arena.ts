/**
 * Every held tag name as UTF-8, back to back in one byte arena, found by id: where it starts and
 * how long it is. The interner's slots answer most lookups without it (short names sit in the slot
 * itself); the arena is what makes names of ids (for the wire, for ties, for export) and the bytes
 * of long names. Released names leave holes: the arena is compacted when they waste more than half
 * of it, and, when it is full, rather than grown if they waste a quarter. It grows by half again.
 */
import { CapturedArray, type Captured } from "./captured-arrays.ts";
import { grown, initialIds } from "./id-arrays.ts";
import { utf8Compare } from "./tag-bytes.ts";

export class NameArena {
  #bytes = new Uint8Array(1 << 16);
  #text = Buffer.from(this.#bytes.buffer);
  #end = 0;
  #wasted = 0;
  /** Per id: where its name starts, and its length in bytes (0 = no name). */
  #starts: Uint32Array;
  #lengths: Uint32Array;
  readonly #capacity: number | undefined;
  readonly #moved: () => void;

  /**
   * `capacity`: the most names held at once, if bounded (see id-arrays.ts); `moved`: called after
   * a compaction, when every start may have changed.
   */
  constructor(capacity: number | undefined, moved: () => void) {
    this.#capacity = capacity;
    this.#moved = moved;
    this.#starts = new Uint32Array(initialIds(capacity));
    this.#lengths = new Uint32Array(initialIds(capacity));
  }

  /** Stores the name of `id` (which has none) from `bytes[start..start+length)`; returns where it went. */
  add(id: number, bytes: Uint8Array, start: number, length: number): number {
    if (id >= this.#starts.length) {
      this.#starts = grown(this.#starts, id + 1, this.#capacity);
      this.#lengths = grown(this.#lengths, id + 1, this.#capacity);
    }
    if (this.#end + length > this.#bytes.length) {
      if (this.#wasted * 4 >= this.#end) this.#compact(length);
      else this.#grow(length);
    }
    this.#bytes.set(bytes.subarray(start, start + length), this.#end);
    const at = this.#end;
    this.#starts[id] = at;
    this.#lengths[id] = length;
    this.#end += length;
    return at;
  }

  /** Forgets the name of `id`. */
  release(id: number): void {
    this.#wasted += this.#lengths[id] as number;
    this.#lengths[id] = 0;
    if (this.#wasted > 1 << 16 && this.#wasted * 2 > this.#end) this.#compact(0);
  }

  /** The arena itself, for reading a name in place at `startOf(id)`. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  startOf(id: number): number {
    return this.#starts[id] as number;
  }

  /** Length in bytes of `id`'s name; 0 for an id that names nothing. */
  lengthOf(id: number): number {
    return id < this.#lengths.length ? (this.#lengths[id] as number) : 0;
  }

  name(id: number): string {
    const start = this.#starts[id] as number;
    return this.#text.toString("utf8", start, start + (this.#lengths[id] as number));
  }

  /** True when `bytes[start..start+length)` equals the name stored at `at`. */
  equals(at: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.#bytes;
    for (let i = 0; i < length; i++) if (arena[at + i] !== bytes[start + i]) return false;
    return true;
  }

  /** Orders two ids by name in UTF-16 code-unit order, the wire's tie-break. */
  compare(a: number, b: number): number {
    return utf8Compare(this.#bytes, this.#starts[a] as number, this.#lengths[a] as number, this.#starts[b] as number, this.#lengths[b] as number);
  }

  /** The names of ids [0, limit) back to back, and their lengths (0 for ids without a name). */
  exportState(limit: number): { bytes: Uint8Array; lengths: Uint32Array } {
    const lengths = this.#lengths.slice(0, limit);
    const bytes = new Uint8Array(this.#end - this.#wasted);
    let at = 0;
    for (let id = 0; id < limit; id++) {
      const start = this.#starts[id] as number;
      bytes.set(this.#bytes.subarray(start, start + (lengths[id] as number)), at);
      at += lengths[id] as number;
    }
    return { bytes, lengths };
  }

  /**
   * `exportState(limit)` captured: the names of ids [0, limit), read later through the live arena
   * (a compaction moves names, never changes them), except those of `free` ids, which may be given
   * new names after the capture and are read as none, as they were.
   */
  capture(limit: number, free: Uint32Array): Captured<{ bytes: Uint8Array; lengths: Uint32Array }> {
    // Only under a capacity, once names were evicted, are there free ids to tell apart.
    const wasFree = new Uint8Array(free.length > 0 ? limit : 0);
    for (const id of free) if (id < limit) wasFree[id] = 1;
    const lengthOf = (id: number): number => (wasFree[id] === 1 ? 0 : (this.#lengths[id] as number));
    const lengths = new CapturedArray("Uint32Array", limit, (from, to, into) => {
      into.set(this.#lengths.subarray(from, to));
      for (let id = from; id < to; id++) if (wasFree[id] === 1) into[id - from] = 0;
    });
    // The bytes are read in order: where the last slice stopped, maybe inside a name.
    let id = 0;
    let inName = 0;
    const bytes = new CapturedArray("Uint8Array", this.#end - this.#wasted, (_from, _to, out) => {
      const arena = this.#bytes;
      let at = 0;
      while (at < out.length) {
        if (id >= limit) throw new RangeError("captured names shorter than their byte count");
        const length = lengthOf(id);
        if (inName >= length) {
          id++;
          inName = 0;
          continue;
        }
        const start = (this.#starts[id] as number) + inName;
        const n = Math.min(length - inName, out.length - at);
        for (let k = 0; k < n; k++) out[at + k] = arena[start + k] as number;
        at += n;
        inName += n;
      }
    });
    return { bytes, lengths };
  }

  /** Takes over exported names: id i's name follows id i-1's. */
  load(bytes: Uint8Array, lengths: Uint32Array): void {
    this.#bytes = grown(Uint8Array.from(bytes), bytes.length + 1);
    this.#text = Buffer.from(this.#bytes.buffer);
    this.#end = bytes.length;
    this.#wasted = 0;
    this.#starts = new Uint32Array(lengths.length + 1);
    this.#lengths = new Uint32Array(lengths.length + 1);
    this.#lengths.set(lengths);
    let at = 0;
    for (let id = 0; id < lengths.length; id++) {
      this.#starts[id] = at;
      at += lengths[id] as number;
    }
  }

  #grow(needed: number): void {
    const next = new Uint8Array(Math.ceil(1.5 * (this.#end + needed)));
    next.set(this.#bytes.subarray(0, this.#end));
    this.#bytes = next;
    this.#text = Buffer.from(next.buffer);
  }

  /** Moves every name, in id order, to the start of an arena half as large again as they and `needed` more bytes. */
  #compact(needed: number): void {
    const next = new Uint8Array(Math.max(1 << 16, Math.ceil(1.5 * (this.#end - this.#wasted + needed))));
    let end = 0;
    for (let id = 0; id < this.#lengths.length; id++) {
      const length = this.#lengths[id] as number;
      if (length === 0) continue;
      const start = this.#starts[id] as number;
      next.set(this.#bytes.subarray(start, start + length), end);
      this.#starts[id] = end;
      end += length;
    }
    this.#bytes = next;
    this.#text = Buffer.from(next.buffer);
    this.#end = end;
    this.#wasted = 0;
    this.#moved();
  }
}
