/**
 * A checkpoint's payload, written a slice at a time and read back whole.
 *
 * The state goes out as a header and the large arrays it refers to. The header is the state with
 * every captured array or string list (captured-arrays.ts) replaced by a reference, in V8's
 * structured serialisation (small typed arrays and Maps survive as they are). The referenced parts
 * follow in the order of their references, each led by its length (a part's length may be known
 * only once the parts before it are read): a typed array as its raw bytes (in the machine's byte
 * order; every platform Node supports here is little-endian), a string list as each string's byte
 * length and UTF-8.
 *
 *   payload = u32 header length, header, then per part: u32 length, its bytes or its strings
 *
 * Encoding yields slices of at most about `SLICE_BYTES`, each read into one reused buffer, so that
 * the writer lets the event loop run between them and nothing of the state is copied whole: a
 * slice is valid only until the next one is asked for.
 */
import { deserialize, serialize } from "node:v8";
import { CapturedArray, CapturedStrings, isPlainObject, TYPED_ARRAYS, type CapturedTypedArray, type TypedArrayKind } from "../engine/captured-arrays.ts";

/** About a millisecond of copying, hashing or encoding per slice on a loaded core. */
export const SLICE_BYTES = 1 << 20;
/** Elements per slice at most, whatever their size: reading each may take a few steps. */
const SLICE_ITEMS = 1 << 15;
/** Strings per slice at most: each is checked and encoded on its own. */
const SLICE_STRINGS = 1 << 13;
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
    if (part instanceof CapturedStrings) yield* stringSlices(part, scratch);
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

/**
 * Each string as a u32 byte length and its UTF-8, straight into the buffer (no garbage). A string
 * UTF-8 cannot hold (a lone surrogate, which a JSON line may carry) goes as JSON, flagged by the
 * length's top bit.
 */
function* stringSlices(strings: CapturedStrings, scratch: ArrayBuffer): Generator<Uint8Array> {
  yield u32(strings.count);
  const room = Buffer.from(scratch);
  for (let from = 0; from < strings.count; from += SLICE_STRINGS) {
    let used = 0;
    for (const string of strings.read(from, Math.min(strings.count, from + SLICE_STRINGS))) {
      const text = isWellFormed(string) ? string : JSON.stringify(string);
      const flag = text === string ? 0 : AS_JSON;
      // UTF-8 takes at most three bytes per UTF-16 code unit.
      if (used + 4 + 3 * text.length > room.length) {
        if (used > 0) yield room.subarray(0, used);
        used = 0;
      }
      if (4 + 3 * text.length > room.length) {
        const alone = Buffer.from(text, "utf8");
        yield u32((alone.length | flag) >>> 0);
        yield alone;
        continue;
      }
      const length = room.write(text, used + 4, "utf8");
      room.writeUInt32LE((length | flag) >>> 0, used);
      used += 4 + length;
    }
    if (used > 0) yield room.subarray(0, used);
  }
}

const AS_JSON = 0x8000_0000;

function isWellFormed(string: string): boolean {
  return (string as string & { isWellFormed(): boolean }).isWellFormed();
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
      for (let i = 0; i < length; i++) {
        const header = take(4).readUInt32LE();
        const bytes = header & ~AS_JSON;
        if (at + bytes > payload.length) throw new RangeError(`payload ends at ${payload.length}, needed ${at + bytes}`);
        const text = payload.toString("utf8", at, (at += bytes));
        if ((header & AS_JSON) === 0) strings[i] = text;
        else {
          const string: unknown = JSON.parse(text);
          if (typeof string !== "string") throw new RangeError("a list of strings holds something else");
          strings[i] = string;
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
