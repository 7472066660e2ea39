/**
 * A checkpoint's payload, written a slice at a time and read back whole.
 *
 * The state goes out as a header and the large arrays it refers to. The header is the state with
 * every captured array or string list (captured-arrays.ts) replaced by a reference, in V8's
 * structured serialisation (small typed arrays and Maps survive as they are). The referenced parts
 * follow in the order of their references: a typed array as its raw bytes (in the machine's byte
 * order; every platform Node supports here is little-endian), a string list as blocks of at most
 * `STRINGS_PER_BLOCK` strings, each a byte length and a JSON array. Encoding yields slices of about
 * `SLICE_BYTES`, so that the writer can let the event loop run between them; nothing of the state
 * is copied whole.
 *
 *   payload = u32 header length, header, part 0, part 1, ...
 */
import { deserialize, serialize } from "node:v8";
import { CapturedArray, CapturedStrings, isPlainObject, type CapturedTypedArray, type TypedArrayKind } from "../engine/captured-arrays.ts";

/** About a millisecond of copying, hashing or encoding per slice on a loaded core. */
export const SLICE_BYTES = 1 << 20;
const STRINGS_PER_BLOCK = 4096;
const REFERENCE = "@@checkpoint-part";

type Reference =
  | { readonly [REFERENCE]: number; readonly kind: TypedArrayKind; readonly length: number }
  | { readonly [REFERENCE]: number; readonly kind: "strings"; readonly count: number };

const TYPED_ARRAYS: Record<TypedArrayKind, { new (length: number): CapturedTypedArray; readonly BYTES_PER_ELEMENT: number }> = {
  Float64Array,
  Uint32Array,
  Int32Array,
  Uint8Array,
};

/** The payload of `state` (plain data, possibly holding captured arrays), slice by slice. */
export function* encodeCheckpoint(state: unknown, sliceBytes = SLICE_BYTES): Generator<Uint8Array> {
  const parts: Array<CapturedArray | CapturedStrings> = [];
  const header = serialize(withReferences(state, parts));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  yield length;
  yield header;
  for (const part of parts) {
    if (part instanceof CapturedStrings) yield* stringBlocks(part);
    else yield* arraySlices(part, sliceBytes);
  }
}

function withReferences(value: unknown, parts: Array<CapturedArray | CapturedStrings>): unknown {
  if (value instanceof CapturedArray) {
    parts.push(value);
    return { [REFERENCE]: parts.length - 1, kind: value.kind, length: value.length } satisfies Reference;
  }
  if (value instanceof CapturedStrings) {
    parts.push(value);
    return { [REFERENCE]: parts.length - 1, kind: "strings", count: value.count } satisfies Reference;
  }
  if (Array.isArray(value)) return value.map((item) => withReferences(item, parts));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withReferences(item, parts)]));
  return value;
}

function* arraySlices(array: CapturedArray, sliceBytes: number): Generator<Uint8Array> {
  const step = Math.max(1, Math.floor(sliceBytes / TYPED_ARRAYS[array.kind].BYTES_PER_ELEMENT));
  for (let from = 0; from < array.length; from += step) {
    const slice = array.read(from, Math.min(array.length, from + step));
    yield new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
  }
}

function* stringBlocks(strings: CapturedStrings): Generator<Uint8Array> {
  for (let from = 0; from < strings.count; from += STRINGS_PER_BLOCK) {
    const json = Buffer.from(JSON.stringify(strings.read(from, Math.min(strings.count, from + STRINGS_PER_BLOCK))), "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length);
    yield length;
    yield json;
  }
}

/** The state `encodeCheckpoint` wrote; throws a RangeError when the payload is cut short or malformed. */
export function decodeCheckpointPayload(payload: Buffer): unknown {
  let at = 0;
  const take = (bytes: number): Buffer => {
    if (at + bytes > payload.length) throw new RangeError(`payload ends at ${payload.length}, needed ${at + bytes}`);
    const taken = payload.subarray(at, at + bytes);
    at += bytes;
    return taken;
  };
  const header = deserialize(take(take(4).readUInt32LE()));
  const references: Reference[] = [];
  collectReferences(header, references);
  const parts = references.map((reference, index) => {
    if (reference[REFERENCE] !== index) throw new RangeError(`part ${index} missing from the header`);
    if (reference.kind === "strings") {
      const strings: string[] = [];
      while (strings.length < reference.count) {
        const block: unknown = JSON.parse(take(take(4).readUInt32LE()).toString("utf8"));
        if (!Array.isArray(block) || !block.every((s) => typeof s === "string")) throw new RangeError("a string block is not a list of strings");
        for (const s of block as string[]) strings.push(s);
      }
      if (strings.length !== reference.count) throw new RangeError(`string list of ${strings.length}, header says ${reference.count}`);
      return strings;
    }
    const Type = TYPED_ARRAYS[reference.kind];
    if (Type === undefined || !Number.isSafeInteger(reference.length) || reference.length < 0) throw new RangeError(`bad array reference ${JSON.stringify(reference)}`);
    const array = new Type(reference.length);
    new Uint8Array(array.buffer).set(take(reference.length * Type.BYTES_PER_ELEMENT));
    return array;
  });
  if (at !== payload.length) throw new RangeError(`${payload.length - at} bytes after the last part`);
  return resolve(header, parts);
}

function isReference(value: unknown): value is Reference {
  return isPlainObject(value) && REFERENCE in value;
}

function collectReferences(value: unknown, into: Reference[]): void {
  if (isReference(value)) into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectReferences(item, into);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collectReferences(item, into);
}

function resolve(value: unknown, parts: readonly unknown[]): unknown {
  if (isReference(value)) return parts[value[REFERENCE]];
  if (Array.isArray(value)) return value.map((item) => resolve(item, parts));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, parts)]));
  return value;
}
