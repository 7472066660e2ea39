/**
 * The windows an aggregator keeps: `complete` (everything since start) or a sliding window of a
 * length. Written here because the configuration, the engine and the wire all speak of them.
 */
export type WindowSpec = { readonly kind: "complete" } | { readonly kind: "sliding"; readonly lengthMs: number };

/**
 * The rule a trigger interval obeys beside its bounds, at start (the config) and when it is changed
 * at run time (`PUT /api/config`): a sliding window advances once per trigger, so a window shorter
 * than the trigger would hold less than one interval and show nothing useful.
 */
/** Lengths in ms of the sliding windows shorter than a trigger of `triggerMs`, shortest first. */
export function windowsShorterThan(triggerMs: number, windows: readonly WindowSpec[]): number[] {
  return windows
    .flatMap((spec) => (spec.kind === "sliding" && spec.lengthMs < triggerMs ? [spec.lengthMs] : []))
    .sort((a, b) => a - b);
}
