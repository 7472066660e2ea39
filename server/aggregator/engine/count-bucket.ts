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
  /**
   * 32-bit: an interval never counts 2^31 occurrences of one tag, and sliding windows hold every
   * bucket of their length. Mutable only by retraction (a deleted post), so that expiry subtracts
   * what is really held.
   */
  readonly deltas: Int32Array;
}

/**
 * `bucket` with the entries late posts added to it after it closed (bucket-log.ts `lateOf`), as one
 * bucket of its own: each id once, its deltas summed, so that a retraction after a restore finds
 * the whole count of the id where the running engine had it in two places.
 */
export function withLateEntries(bucket: ClosedBucket, late: ClosedBucket): ClosedBucket {
  const sums = new Map<number, number>();
  bucket.ids.forEach((id, i) => sums.set(id, (sums.get(id) ?? 0) + (bucket.deltas[i] as number)));
  late.ids.forEach((id, i) => sums.set(id, (sums.get(id) ?? 0) + (late.deltas[i] as number)));
  return { epoch: bucket.epoch, closedAt: bucket.closedAt, ids: Uint32Array.from(sums.keys()), deltas: Int32Array.from(sums.values()) };
}
