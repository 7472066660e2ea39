/**
 * Tag names as UTF-8 bytes: the hash the interner files them under and the order the wire ranks
 * ties in, computed on bytes so that neither needs a string.
 */

/** FNV-1a, 32 bits (Fowler, Noll, Vo; http://www.isthe.com/chongo/tech/comp/fnv/). */
export const FNV_OFFSET = 0x811c9dc5;

/** One FNV-1a step; the intake's scanner hashes tokens as it reads them with this same step. */
export function fnvByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}

/** FNV-1a of `bytes[start..end)`, as an unsigned 32-bit integer. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = fnvByte(hash, bytes[i] as number);
  return hash >>> 0;
}

/**
 * Compares two UTF-8 names the way JavaScript compares the strings: by UTF-16 code units. UTF-8
 * byte order is code point order, which differs from UTF-16 order in one case only: a character
 * above U+FFFF (lead byte F0-F4, a surrogate pair D800-DFFF in UTF-16) sorts before one in
 * U+E000-U+FFFF (lead byte EE or EF) in UTF-16, after it in code points.
 */
export function utf8Compare(bytes: Uint8Array, startA: number, lengthA: number, startB: number, lengthB: number): number {
  const common = Math.min(lengthA, lengthB);
  for (let i = 0; i < common; i++) {
    const a = bytes[startA + i] as number;
    const b = bytes[startB + i] as number;
    if (a === b) continue;
    if (a >= 0xf0 && (b === 0xee || b === 0xef)) return -1;
    if (b >= 0xf0 && (a === 0xee || a === 0xef)) return 1;
    return a - b;
  }
  return lengthA - lengthB;
}
