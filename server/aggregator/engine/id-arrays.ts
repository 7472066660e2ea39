/**
 * How arrays indexed by tag id (and the tables sized by the number of tags) grow.
 *
 * Without a capacity they double, for amortised O(1) growth. With one, the ids in use stay below
 * the capacity plus one interval's new names, since evicted ids are reused: doubling just past the
 * capacity would size every array for twice the tags ever held. So with a capacity they start at
 * the capacity plus a sixteenth (room for one interval's new names), which leaves nothing to copy
 * while the tags fit and keeps the peak low (a growing array and its copy are both alive until the
 * next GC); past that they grow by a sixteenth of the capacity at a time. Pages of an array nobody
 * has written are not resident, so the room costs nothing until it is used.
 */
export type IdArray = Float64Array | Uint32Array | Uint8Array | Int32Array;

/** Room past the capacity for the new names of one interval, until the next tick evicts. */
export function headroom(capacity: number): number {
  return Math.max(1024, Math.ceil(capacity / 16));
}

/** How many ids an array indexed by id starts with. */
export function initialIds(capacity?: number): number {
  return capacity === undefined ? 1024 : capacity + headroom(capacity);
}

/** The length to give an array of `length` that must now hold `needed`. */
export function grownLength(length: number, needed: number, capacity?: number): number {
  if (needed <= length) return length;
  let next = Math.max(1, length) * 2;
  while (next < needed) next *= 2;
  if (capacity === undefined) return next;
  return needed <= capacity ? Math.min(next, capacity) : Math.min(next, needed + headroom(capacity));
}

/** A copy of `array`, at least `needed` long, grown by `grownLength`. */
export function grown<T extends IdArray>(array: T, needed: number, capacity?: number): T {
  const next = new (array.constructor as new (length: number) => T)(grownLength(array.length, needed, capacity));
  next.set(array);
  return next;
}
