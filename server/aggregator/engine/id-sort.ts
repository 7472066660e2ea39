/**
 * Sorts ids (integers below 2^31) by LSD radix sort, 11 bits a pass: two passes for up to four
 * million ids, in time linear in their number, where a comparison sort of the 50,000-odd ids an
 * interval touches would cost more than the sweep it speeds up.
 */
const BITS = 11;
const DIGITS = 1 << BITS;
const counts = new Uint32Array(DIGITS + 1);

/**
 * Sorts `ids[0..count)`, all below `limit`, using `scratch` (as long as `ids`). Returns the two
 * arrays as [sorted, spare]: the passes alternate between them, so either may come back sorted.
 */
export function sortIds<T extends Uint32Array>(ids: T, scratch: T, count: number, limit: number): [T, T] {
  let from = ids;
  let to = scratch;
  for (let shift = 0; shift < 32 && limit - 1 >>> shift > 0; shift += BITS) {
    counts.fill(0);
    for (let i = 0; i < count; i++) {
      const digit = ((from[i] as number) >>> shift) & (DIGITS - 1);
      counts[digit + 1] = (counts[digit + 1] as number) + 1;
    }
    for (let digit = 1; digit <= DIGITS; digit++) counts[digit] = (counts[digit] as number) + (counts[digit - 1] as number);
    for (let i = 0; i < count; i++) {
      const id = from[i] as number;
      const digit = (id >>> shift) & (DIGITS - 1);
      to[counts[digit] as number] = id;
      counts[digit] = (counts[digit] as number) + 1;
    }
    [from, to] = [to, from];
  }
  return [from, to];
}
