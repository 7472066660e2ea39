/**
 * The recent counts of the tags in the tops, for the dashboard's sparklines.
 *
 * The engine keeps totals, not their past, so this edge remembers them: for every tag in any
 * window's top at the last tick, its count in every window at each of the last `length` ticks.
 * A tag followed because it is in one window's top therefore already has a past when it enters
 * another's. A tag that leaves every top is forgotten, so memory stays bounded by
 * (windows × topN) tags × windows × `length` counts, however long the process runs.
 */
import type { TopEntry } from "../../../shared/messages.ts";

export interface WindowTops {
  readonly window: string;
  readonly top: readonly TopEntry[];
}

/** The history as plain data: each followed tag's series, one per window in `windows` order. */
export interface TagHistoryState {
  readonly windows: readonly string[];
  readonly series: ReadonlyArray<readonly [tag: string, series: ReadonlyArray<readonly number[]>]>;
}

export class TagHistory {
  readonly #windows: readonly string[];
  readonly #length: number;
  /** Tag -> one series per window (in `#windows` order), oldest count first. */
  #series = new Map<string, number[][]>();

  constructor(windows: readonly string[], length: number) {
    this.#windows = windows;
    this.#length = length;
  }

  /**
   * Appends this tick's counts of every tag now in a top; `countsOf` gives a tag's count in every
   * window (the engine's answer as of the same tick).
   */
  record(tops: readonly WindowTops[], countsOf: (tag: string) => Readonly<Record<string, number>>): void {
    const followed = new Map<string, number[][]>();
    for (const { top } of tops) {
      for (const { tag } of top) {
        if (followed.has(tag)) continue;
        const counts = countsOf(tag);
        const series = this.#series.get(tag) ?? this.#windows.map(() => []);
        this.#windows.forEach((window, index) => {
          const values = series[index] as number[];
          values.push(counts[window] ?? 0);
          if (values.length > this.#length) values.shift();
        });
        followed.set(tag, series);
      }
    }
    this.#series = followed;
  }

  /** A copy of the tag's counts in `window`, oldest first; empty for a tag not followed. */
  of(tag: string, window: string): number[] {
    const index = this.#windows.indexOf(window);
    return [...(this.#series.get(tag)?.[index] ?? [])];
  }

  /** Every followed tag's series, copied. */
  exportState(): TagHistoryState {
    return { windows: [...this.#windows], series: Array.from(this.#series, ([tag, series]) => [tag, series.map((values) => [...values])]) };
  }

  /**
   * Takes back exported series, keeping at most the last `length` counts of each. History saved
   * for other windows is ignored: its series would be put under the wrong windows' names.
   */
  load(state: TagHistoryState): void {
    if (state.windows.length !== this.#windows.length || state.windows.some((w, i) => w !== this.#windows[i])) return;
    this.#series = new Map(state.series.map(([tag, series]) => [tag, series.map((values) => values.slice(-this.#length))]));
  }

  /** Tags followed right now. */
  get size(): number {
    return this.#series.size;
  }
}
