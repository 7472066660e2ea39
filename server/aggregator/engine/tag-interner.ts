/**
 * Maps each distinct tag name to a small integer id, once, so that every window counts in typed
 * arrays indexed by id instead of in string-keyed maps.
 *
 * Names are keyed by their UTF-8 bytes, so that the intake can count a tag straight from the
 * socket's Buffer without first making a string of it: the table (name-table.ts) finds them, the
 * arena (name-arena.ts) keeps them. Ids can be released when a capacity is enforced, and are reused.
 */
import type { Captured } from "./captured-arrays.ts";
import { NameArena } from "./name-arena.ts";
import { NameTable } from "./name-table.ts";
import { hashBytes } from "./tag-bytes.ts";

export class TagInterner {
  readonly #arena: NameArena;
  readonly #table: NameTable;
  #limit = 0;
  #size = 0;
  readonly #free: number[] = [];
  #scratch = Buffer.allocUnsafe(1024);
  /** Ids given to new names since the last `takeAdmitted`, when asked to keep them. */
  #admitted: number[] | undefined;

  /** `capacity`: the most names held at once, if bounded (see id-arrays.ts). */
  constructor(capacity?: number) {
    this.#arena = new NameArena(capacity, () => this.#table.refreshLongStarts());
    this.#table = new NameTable(this.#arena, capacity);
  }

  /** The id of the name in `bytes[start..end)` (UTF-8) whose FNV-1a hash is `hash`, assigning one on first sight. */
  internBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const found = this.#table.probe(bytes, start, end - start, hash);
    return found >= 0 ? found : this.#add(-1 - found, bytes, start, end - start, hash);
  }

  /** The id of `name`, assigning one on first sight. Names must already be normalised. */
  intern(name: string): number {
    const length = this.#encode(name);
    return this.internBytes(this.#scratch, 0, length, hashBytes(this.#scratch, 0, length));
  }

  /** The id of `name` if it is held. */
  lookup(name: string): number | undefined {
    const length = this.#encode(name);
    const found = this.#table.probe(this.#scratch, 0, length, hashBytes(this.#scratch, 0, length));
    return found >= 0 ? found : undefined;
  }

  name(id: number): string {
    if (!this.holds(id)) throw new RangeError(`unknown tag id ${id}`);
    return this.#arena.name(id);
  }

  /** The FNV-1a hash of a held id's name, as `internBytes` takes it. */
  hashOf(id: number): number {
    const start = this.#arena.startOf(id);
    return hashBytes(this.#arena.bytes, start, start + this.#arena.lengthOf(id));
  }

  /** True when `id` names a tag now (not released, not yet unassigned). */
  holds(id: number): boolean {
    return id < this.#limit && this.#arena.lengthOf(id) !== 0;
  }

  /** Orders two held ids by name in UTF-16 code-unit order, the wire's tie-break. */
  compare(a: number, b: number): number {
    return this.#arena.compare(a, b);
  }

  /** Forgets `id`'s name; the id is reused by a later new name. */
  release(id: number): void {
    if (!this.holds(id)) return;
    this.#table.remove(id);
    this.#arena.release(id);
    this.#free.push(id);
    this.#size--;
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
    return { ...this.#arena.exportState(this.#limit), free: Uint32Array.from(this.#free), admitted: Uint32Array.from(this.#admitted ?? []) };
  }

  /**
   * `exportState` captured (see captured-arrays.ts). Between ticks names are only added: at new
   * ids, which lie past the captured ones, or at ids free now, which the capture reads as free.
   */
  capture(): Captured<InternerState> {
    const free = Uint32Array.from(this.#free);
    return { ...this.#arena.capture(this.#limit, free), free, admitted: Uint32Array.from(this.#admitted ?? []) };
  }

  /** Takes over exported state: every name keeps its id. */
  load(state: InternerState): void {
    this.#arena.load(state.bytes, state.lengths);
    this.#limit = state.lengths.length;
    this.#size = state.lengths.reduce((held, length) => held + (length > 0 ? 1 : 0), 0);
    this.#table.rebuild(this.#limit);
    this.#free.splice(0, this.#free.length, ...state.free);
    if (this.#admitted !== undefined) this.#admitted = [...state.admitted];
  }

  /** Names held now. */
  get size(): number {
    return this.#size;
  }

  /** One past the highest id ever assigned: the length of every array indexed by id. */
  get idLimit(): number {
    return this.#limit;
  }

  #add(slot: number, bytes: Uint8Array, start: number, length: number, hash: number): number {
    const id = this.#free.pop() ?? this.#limit++;
    this.#arena.add(id, bytes, start, length);
    this.#table.put(slot, id, hash);
    this.#size++;
    this.#admitted?.push(id);
    return id;
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

export interface InternerState {
  readonly bytes: Uint8Array;
  readonly lengths: Uint32Array;
  readonly free: Uint32Array;
  /** Ids of names first seen since the last tick. */
  readonly admitted: Uint32Array;
}
