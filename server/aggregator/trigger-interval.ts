/**
 * The rule a trigger interval obeys beside its bounds, at start (the config) and when it is changed
 * at run time (`PUT /api/config`): a sliding window advances once per trigger, so a window shorter
 * than the trigger would hold less than one interval and show nothing useful.
 */
import type { WindowSpec } from "./counting-engine.ts";

/** Lengths in ms of the sliding windows shorter than a trigger of `triggerMs`, shortest first. */
export function windowsShorterThan(triggerMs: number, windows: readonly WindowSpec[]): number[] {
  return windows
    .flatMap((spec) => (spec.kind === "sliding" && spec.lengthMs < triggerMs ? [spec.lengthMs] : []))
    .sort((a, b) => a - b);
}
