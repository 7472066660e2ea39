/**
 * Trend scores in the spirit of Mastodon's (app/models/trends/tags.rb): a tag trends when more
 * accounts use it now than usually do, not when it is big.
 *
 * - observed: distinct accounts in the trend window (default 1 h), from account-counts.ts;
 * - expected: the mean distinct accounts per slot over the baseline (default the 24 slots of one
 *   trend window each before the trend window), at least 1;
 * - score: (observed − expected)² / expected when observed > expected and observed ≥ threshold,
 *   else 0;
 * - the ranking uses each tag's best score, decayed with a half-life (default 4 h), so a burst
 *   stays visible for a while after it peaks and fades smoothly.
 *
 * Mastodon refreshes every 5 minutes from daily buckets (expected = yesterday's accounts); here the
 * score is recomputed at every tick over sliding windows. The baseline is kept as one slot per
 * trend-window length (24 for a day against an hour), each holding per tag the accounts counted in
 * it, so a long baseline costs slots, never a bucket per trigger. A slot counts an account for a
 * tag once, at the tick that first folds one of its posts in that slot; later edits and deletions
 * do not correct closed slots (the baseline is an expectation, and a window's own counts stay exact).
 * Scores start once one whole slot has closed since the start (before it there is no "usual").
 *
 * Pure: time is passed in.
 */
export interface TrendOptions {
  /** Length of the trend window: observed accounts, and the baseline's slot length. */
  readonly windowMs: number;
  /** Length of the baseline, a whole number of trend windows. */
  readonly baselineMs: number;
  /** Fewest observed accounts for a score. */
  readonly threshold: number;
  /** Half-life of the best score. */
  readonly halfLifeMs: number;
}

export interface TrendEntry {
  readonly tag: string;
  /** Decayed best score. */
  readonly score: number;
  /** Accounts in the trend window and the baseline's expectation, at the last tick. */
  readonly observed: number;
  readonly expected: number;
}

export interface TrendScoresState {
  readonly slots: ReadonlyArray<readonly [slot: number, tags: ReadonlyArray<readonly [string, number]>]>;
  readonly best: ReadonlyArray<readonly [tag: string, best: number, at: number]>;
  readonly firstSlot: number;
  /** The slot length it was saved with: slots of another length are not loaded. */
  readonly windowMs: number;
}

/** A decayed best below this no longer ranks: it is forgotten. */
const FORGET_BELOW = 1;

export class TrendScores {
  readonly #options: TrendOptions;
  readonly #slots: number;
  /** Slot number (close time / windowMs, floored) -> tag -> accounts counted in it. */
  #counts = new Map<number, Map<string, number>>();
  /** Per tag with a score: its best score and when it was reached. */
  #best = new Map<string, { best: number; at: number }>();
  /** The first slot wholly after the start: earlier ones are not a fair "usual". */
  #firstSlot: number;
  #latest: TrendEntry[] = [];
  #now: number;

  constructor(options: TrendOptions, startedAt: number) {
    if (!(options.windowMs > 0) || !(options.baselineMs >= options.windowMs)) throw new RangeError("trend baseline must be at least one trend window");
    this.#options = options;
    this.#slots = Math.max(1, Math.round(options.baselineMs / options.windowMs));
    this.#firstSlot = Math.ceil(startedAt / options.windowMs);
    this.#now = startedAt;
  }

  get options(): TrendOptions {
    return this.#options;
  }

  /** Slots the baseline spans. */
  get slots(): number {
    return this.#slots;
  }

  slotOf(time: number): number {
    return Math.floor(time / this.#options.windowMs);
  }

  /** Counts one more account for `tag` in the slot of `time` (once per pair and slot: the caller's bookkeeping). */
  countAccount(tag: string, slot: number): void {
    let tags = this.#counts.get(slot);
    if (tags === undefined) {
      tags = new Map();
      this.#counts.set(slot, tags);
    }
    tags.set(tag, (tags.get(tag) ?? 0) + 1);
  }

  /** The baseline's expectation for `tag` at `now`, or undefined while no whole slot has closed since the start. */
  expectedOf(tag: string, now: number): number | undefined {
    const last = Math.floor((now - this.#options.windowMs) / this.#options.windowMs) - 1;
    const first = Math.max(last - this.#slots + 1, this.#firstSlot);
    if (last < first) return undefined;
    let sum = 0;
    for (let slot = first; slot <= last; slot++) sum += this.#counts.get(slot)?.get(tag) ?? 0;
    return Math.max(1, sum / (last - first + 1));
  }

  /** Scores the candidates (`observedOf` gives a tag's accounts in the trend window) and decays the rest. */
  tick(now: number, candidates: Iterable<string>, observedOf: (tag: string) => number): void {
    this.#now = now;
    // Slots older than the baseline and the trend window before it are no longer needed.
    const keepFrom = this.slotOf(now) - this.#slots - 2;
    for (const slot of this.#counts.keys()) if (slot < keepFrom) this.#counts.delete(slot);
    for (const tag of candidates) {
      const observed = observedOf(tag);
      const expected = this.expectedOf(tag, now);
      if (expected === undefined) break;
      const score = trendScore(observed, expected, this.#options.threshold);
      if (score <= 0) continue;
      const held = this.#best.get(tag);
      if (held === undefined || score >= this.#decayed(held, now)) this.#best.set(tag, { best: score, at: now });
    }
    const entries: TrendEntry[] = [];
    for (const [tag, held] of this.#best) {
      const score = this.#decayed(held, now);
      if (score < FORGET_BELOW) {
        this.#best.delete(tag);
        continue;
      }
      entries.push({ tag, score, observed: observedOf(tag), expected: this.expectedOf(tag, now) ?? 1 });
    }
    entries.sort((a, b) => b.score - a.score || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    this.#latest = entries;
  }

  /** The ranking as of the last tick, best first (score descending, then tag). */
  top(n: number): readonly TrendEntry[] {
    return this.#latest.slice(0, n);
  }

  /** The tag's decayed best score as of the last tick (0 when it has none). */
  scoreOf(tag: string): number {
    const held = this.#best.get(tag);
    return held === undefined ? 0 : this.#decayed(held, this.#now);
  }

  exportState(): TrendScoresState {
    return {
      slots: [...this.#counts].map(([slot, tags]) => [slot, [...tags]] as const),
      best: [...this.#best].map(([tag, { best, at }]) => [tag, best, at] as const),
      firstSlot: this.#firstSlot,
      windowMs: this.#options.windowMs,
    };
  }

  /** Takes back an exported state; one saved with another trend window is left out (the baseline starts afresh). */
  load(state: TrendScoresState): void {
    if (state.windowMs !== this.#options.windowMs) return;
    this.#counts = new Map(state.slots.map(([slot, tags]) => [slot, new Map(tags)]));
    this.#best = new Map(state.best.map(([tag, best, at]) => [tag, { best, at }]));
    this.#firstSlot = state.firstSlot;
  }

  #decayed(held: { best: number; at: number }, now: number): number {
    return held.best * 0.5 ** ((now - held.at) / this.#options.halfLifeMs);
  }
}

/** Mastodon's score: how far the observed accounts exceed the expected, squared, relative to the expected. */
export function trendScore(observed: number, expected: number, threshold: number): number {
  if (observed <= expected || observed < threshold) return 0;
  return (observed - expected) ** 2 / expected;
}
