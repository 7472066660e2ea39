/**
 * One window of counts, as the engine sees it: a column of the engine's count rows, which gains
 * each closed bucket at a trigger (count-rows.ts does that for every column in one pass), and which
 * the window itself takes back what has left it from.
 */

export interface CountWindow {
  /** Canonical name, as on the wire: "15m", "complete". */
  readonly name: string;
  /** Its column in the count rows: its totals by tag id, as of the last trigger. */
  readonly column: number;
  /** After the bucket closed at `now` was counted: drops what has left the window by then. */
  advance(now: number): void;
  /** True when the bucket closed at `epoch` still counts in this window. */
  holds(epoch: number): boolean;
}
