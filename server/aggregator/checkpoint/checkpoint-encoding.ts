/**
 * A checkpoint's payload, written a slice at a time and read back whole.
 *
 * The state goes out as a header and the large arrays it refers to. The header is the state with
 * every captured array or string list (captured-arrays.ts) replaced by a reference, in V8's
 * structured serialisation (small typed arrays and Maps survive as they are). The referenced parts
 * follow in the order of their references, each led by its length (a part's length may be known
 * only once the parts before it are read): a typed array as its raw bytes (in the machine's byte
 * order; every platform Node supports here is little-endian), a string list as blocks of at most
 * `STRINGS_PER_BLOCK` strings, each a byte length and a JSON array.
 *
 *   payload = u32 header length, header, then per part: u32 length, its bytes or blocks
 *
 * Encoding yields slices of at most about `SLICE_BYTES`, each read into one reused buffer, so that
 * the writer lets the event loop run between them and nothing of the state is copied whole: a
 * slice is valid only until the next one is asked for.
 */
import { deserialize, serialize } from "node:v8";
import { CapturedArray, CapturedStrings, isPlainObject, TYPED_ARRAYS, type CapturedTypedArray, type TypedArrayKind } from "../engine/captured-arrays.ts";

/** About a millisecond of copying, hashing or encoding per slice on a loaded core. */
export const SLICE_BYTES = 1 << 20;
/** Elements or strings per slice at most, whatever their size: reading each may take a few steps. */
const SLICE_ITEMS = 1 << 15;
/** Few enough that a block's JSON stays a small string, which the young generation collects at once. */
const STRINGS_PER_BLOCK = 512;
const REFERENCE = "@@checkpoint-part";

interface Reference {
  readonly [REFERENCE]: number;
  readonly kind: TypedArrayKind | "strings";
}

/** The payload of `state` (plain data, possibly holding captured arrays), slice by slice. */
export function* encodeCheckpoint(state: unknown, sliceBytes = SLICE_BYTES): Generator<Uint8Array> {
  const parts: Array<CapturedArray | CapturedStrings> = [];
  const header = serialize(withReferences(state, parts));
  yield u32(header.length);
  yield header;
  const scratch = new ArrayBuffer(sliceBytes);
  for (const part of parts) {
    if (part instanceof CapturedStrings) yield* stringBlocks(part, scratch);
    else yield* arraySlices(part, scratch);
  }
}

/** The whole payload of `state` in one buffer (for tests and small states). */
export function encodedCheckpoint(state: unknown, sliceBytes = SLICE_BYTES): Buffer {
  return Buffer.concat(Array.from(encodeCheckpoint(state, sliceBytes), (slice) => Buffer.from(slice)));
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

function withReferences(value: unknown, parts: Array<CapturedArray | CapturedStrings>): unknown {
  if (value instanceof CapturedArray || value instanceof CapturedStrings) {
    parts.push(value);
    return { [REFERENCE]: parts.length - 1, kind: value instanceof CapturedArray ? value.kind : "strings" } satisfies Reference;
  }
  if (Array.isArray(value)) return value.map((item) => withReferences(item, parts));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withReferences(item, parts)]));
  return value;
}

function* arraySlices(array: CapturedArray, scratch: ArrayBuffer): Generator<Uint8Array> {
  const Type = TYPED_ARRAYS[array.kind];
  yield u32(array.length);
  const step = Math.max(1, Math.min(SLICE_ITEMS, Math.floor(scratch.byteLength / Type.BYTES_PER_ELEMENT)));
  for (let from = 0; from < array.length; from += step) {
    const to = Math.min(array.length, from + step);
    const slice = to - from <= step && scratch.byteLength >= Type.BYTES_PER_ELEMENT ? new Type(scratch, 0, to - from) : new Type(to - from);
    array.read(from, to, slice);
    yield new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
  }
}

/** Blocks are packed into the buffer up to SLICE_ITEMS strings or until the next would not fit; a block too large for it goes alone. */
function* stringBlocks(strings: CapturedStrings, scratch: ArrayBuffer): Generator<Uint8Array> {
  yield u32(strings.count);
  const room = Buffer.from(scratch);
  let used = 0;
  for (let from = 0; from < strings.count; from += STRINGS_PER_BLOCK) {
    const json = JSON.stringify(strings.read(from, Math.min(strings.count, from + STRINGS_PER_BLOCK)));
    const length = Buffer.byteLength(json, "utf8");
    if (used > 0 && (used + 4 + length > room.length || from % SLICE_ITEMS === 0)) {
      yield room.subarray(0, used);
      used = 0;
    }
    const block = used + 4 + length <= room.length ? room.subarray(used, used + 4 + length) : Buffer.allocUnsafe(4 + length);
    block.writeUInt32LE(length);
    block.write(json, 4, "utf8");
    if (block.buffer === room.buffer) used += block.length;
    else yield block;
  }
  if (used > 0) yield room.subarray(0, used);
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
    const length = take(4).readUInt32LE();
    if (reference.kind === "strings") {
      const strings = new Array<string>(length);
      for (let filled = 0; filled < length; ) {
        const block: unknown = JSON.parse(take(take(4).readUInt32LE()).toString("utf8"));
        if (!Array.isArray(block) || filled + block.length > length) throw new RangeError(`a string block overruns its list of ${length}`);
        for (const s of block as unknown[]) {
          if (typeof s !== "string") throw new RangeError("a string block holds something else than strings");
          strings[filled++] = s;
        }
      }
      return strings;
    }
    const Type = TYPED_ARRAYS[reference.kind];
    if (Type === undefined) throw new RangeError(`bad array reference ${JSON.stringify(reference)}`);
    const array = new Type(length);
    new Uint8Array(array.buffer).set(take(length * Type.BYTES_PER_ELEMENT));
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
