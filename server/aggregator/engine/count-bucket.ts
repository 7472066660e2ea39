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
