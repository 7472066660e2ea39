/**
 * One window of counts, as the engine sees it: it folds in each closed bucket at a trigger and
 * answers for its totals as of that trigger.
 */
import type { ClosedBucket } from "./count-bucket.ts";
import type { CountArray } from "./count-array.ts";

export interface CountWindow {
  /** Canonical name, as on the wire: "15m", "complete". */
  readonly name: string;
  /** Totals by tag id, as of the last trigger. */
  readonly totals: CountArray;
  /** Folds in the bucket closed at `bucket.closedAt` and drops what has left the window by then. */
  advance(bucket: ClosedBucket): void;
  /** True when the bucket closed at `epoch` still counts in this window. */
  holds(epoch: number): boolean;
}

/** Adds (sign 1) or subtracts (sign -1) a closed bucket into totals. */
export function applyBucket(totals: CountArray, bucket: ClosedBucket, sign: 1 | -1): void {
  const { ids, deltas } = bucket;
  let highest = 0;
  for (let i = 0; i < ids.length; i++) highest = Math.max(highest, ids[i] as number);
  const values = totals.ensure(highest + 1);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    values[id] = (values[id] as number) + sign * (deltas[i] as number);
  }
}
