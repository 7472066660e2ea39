/**
 * The large arrays of a state captured at one instant, read later, a slice at a time.
 *
 * A checkpoint of a million tags copied all at once held the event loop for half a second and
 * doubled the state in memory. Captured instead, the bulk stays where it is: the owner (the engine,
 * the post ledger) promises that what a captured array reads is what it held at the capture, and
 * the writer reads it slice by slice, in order, between events. An owner about to change what is
 * not read yet first `settle`s it: the rest is copied then, so the capture stays exact.
 */

export type CapturedTypedArray = Float64Array | Uint32Array | Int32Array | Uint8Array;
export type TypedArrayKind = "Float64Array" | "Uint32Array" | "Int32Array" | "Uint8Array";

interface TypedArrayType {
  new (length: number): CapturedTypedArray;
  new (buffer: ArrayBuffer, offset: number, length: number): CapturedTypedArray;
  readonly BYTES_PER_ELEMENT: number;
}

export const TYPED_ARRAYS: Record<TypedArrayKind, TypedArrayType> = {
  Float64Array,
  Uint32Array,
  Int32Array,
  Uint8Array,
};

/** Writes elements [from, to) of the array as it was at the capture into `into` (of length to - from); calls come in order. */
export type SliceReader = (from: number, to: number, into: CapturedTypedArray) => void;

/** A length known now, or only once the parts before it are read. */
type Length = number | (() => number);

/** A typed array of the captured state, read in ascending, non-overlapping slices. */
export class CapturedArray {
  readonly kind: TypedArrayKind;
  #length: Length;
  #read: SliceReader;
  /** Elements before this were read already. */
  #next = 0;

  constructor(kind: TypedArrayKind, length: Length, read: SliceReader) {
    this.kind = kind;
    this.#length = length;
    this.#read = read;
  }

  get length(): number {
    if (typeof this.#length === "function") this.#length = this.#length();
    return this.#length;
  }

  /** Elements [from, to) as at the capture, into `into`; `from` must be where the previous slice ended. */
  read(from: number, to: number, into: CapturedTypedArray): void {
    if (from !== this.#next || to < from || to > this.length || into.length !== to - from) {
      throw new RangeError(`captured slice [${from}, ${to}) out of order (next ${this.#next}, length ${this.length})`);
    }
    this.#next = to;
    this.#read(from, to, into);
  }

  /** Copies what is not read yet, so that the owner may change it. */
  settle(): void {
    if (this.#next >= this.length) return;
    const start = this.#next;
    const rest = new TYPED_ARRAYS[this.kind](this.length - start);
    this.#read(start, this.length, rest);
    this.#read = (from, to, into) => into.set(rest.subarray(from - start, to - start));
  }
}

/** A list of strings of the captured state; strings do not change, so reading it later needs no settling. */
export class CapturedStrings {
  #count: Length;
  readonly #read: (from: number, to: number) => string[];

  constructor(count: Length, read: (from: number, to: number) => string[]) {
    this.#count = count;
    this.#read = read;
  }

  get count(): number {
    if (typeof this.#count === "function") this.#count = this.#count();
    return this.#count;
  }

  /** Strings [from, to); calls come in order. */
  read(from: number, to: number): string[] {
    if (to < from || to > this.count) throw new RangeError(`captured strings [${from}, ${to}) out of range (count ${this.count})`);
    return this.#read(from, to);
  }
}

/** `T` with any of its typed arrays or string lists possibly still to be read. */
export type Captured<T> = T extends CapturedTypedArray
  ? T | CapturedArray
  : T extends readonly string[]
    ? T | CapturedStrings
    : T extends ReadonlyArray<infer E>
      ? ReadonlyArray<Captured<E>>
      : T extends object
        ? { readonly [K in keyof T]: Captured<T[K]> }
        : T;

/** A capture that reads, `settle`s, and tells its owner when it is done with. */
export interface Capture<T> {
  readonly state: Captured<T>;
  /** The writer is done with it (written or failed): the owner need not settle it any more. */
  release(): void;
}

/** Every captured array in `value`, in the order a depth-first walk meets them. */
export function capturedArraysIn(value: unknown, into: CapturedArray[] = []): CapturedArray[] {
  if (value instanceof CapturedArray) into.push(value);
  else if (Array.isArray(value)) for (const item of value) capturedArraysIn(item, into);
  else if (isPlainObject(value)) for (const item of Object.values(value)) capturedArraysIn(item, into);
  return into;
}

/** An object literal's kind of object: not a typed array, Map, Date or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A captured array over a live array that nothing changes below `length` until the owner settles it. */
export function capturedSlices(kind: TypedArrayKind, length: number, live: () => CapturedTypedArray): CapturedArray {
  return new CapturedArray(kind, length, (from, to, into) => into.set(live().subarray(from, to)));
}
