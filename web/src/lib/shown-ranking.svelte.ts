/**
 * The ranking a screen shows and how each tag moved to get there: the chosen window's top, without
 * hidden tags, ranked by posts, accounts or trend, cut to `n`, with the movement since the previous
 * snapshot.
 */
import type { RankBy, TopEntry } from "../../../shared/messages.ts";
import { RankMotion, type Movement } from "./rank-motion.ts";
import type { SnapshotFeed } from "./snapshot-feed.svelte.ts";
import { visibleRanking } from "./visible-ranking.ts";

/** How long a ▲/▼ or "new" stays up after the move: long enough to read at any trigger interval. */
export const MOVEMENT_HOLD_MS = 6000;

export interface RankingChoice {
  readonly window: string | undefined;
  readonly by: RankBy;
  /** A language whose own ranking is shown instead (fetched, see language-top.svelte.ts). */
  readonly lang?: string | undefined;
  readonly n: number;
  readonly hide: ReadonlySet<string>;
}

export class ShownRanking {
  readonly #feed: SnapshotFeed;
  readonly #choice: () => RankingChoice;
  // Plain (not reactive) memory of the previous ranking: `movements` is its only reader and writer.
  readonly #motion = new RankMotion(MOVEMENT_HOLD_MS);
  readonly #language: () => readonly TopEntry[];

  readonly entries: readonly TopEntry[] = $derived.by(() => {
    const { window, by, lang, n, hide } = this.#choice();
    if (window === undefined) return [];
    return visibleRanking(lang === undefined ? this.#feed.top(window, by) : this.#language(), hide, n);
  });

  /** Recomputed once per shown snapshot; a change of window or filter starts without movements. */
  readonly movements: ReadonlyMap<string, Movement> = $derived.by(() => {
    const { window, by, lang, n, hide } = this.#choice();
    const key = `${window}|${by}|${lang}|${n}|${[...hide].join(",")}`;
    return this.#motion.next(key, this.entries.map((entry) => entry.tag), this.#feed.receivedAt ?? 0);
  });

  /** `language`: the chosen language's ranking, when one is chosen. */
  constructor(feed: SnapshotFeed, choice: () => RankingChoice, language: () => readonly TopEntry[] = () => []) {
    this.#feed = feed;
    this.#choice = choice;
    this.#language = language;
  }
}
