/**
 * Counts that arrived between two triggers. At a trigger the open interval (a delta in each tag's
 * row, count-rows.ts) is closed into a compact, immutable list of (id, delta) pairs that every
 * window folds in, and that sliding windows keep so that they can subtract it again when it leaves
 * the window. The cost of a trigger is therefore proportional to the distinct tags of one trigger
 * interval, never to the total history.
 */

export interface ClosedBucket {
  /** The epoch of the trigger that closed this bucket. */
  readonly epoch: number;
  /** Engine time (ms) of the trigger that closed this bucket. */
  readonly closedAt: number;
  readonly ids: Uint32Array;
  /** Mutable only by retraction (a deleted post), so that expiry subtracts what is really held. */
  readonly deltas: Float64Array;
}

/** A copy of `array` at least `minLength` long, doubling so that growth is amortised O(1). */
export function grown<T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(array: T, minLength: number): T {
  let length = Math.max(1, array.length) * 2;
  while (length < minLength) length *= 2;
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}
