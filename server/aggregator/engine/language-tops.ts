/**
 * The top tags of posts in each kept language (Mastodon's BCP 47 codes, lower case; `und` for a
 * post without one), in every window: one small counting engine per language, fed the posts of
 * that language in the interval the main engine chose, ticked with it.
 *
 * Which languages are kept: a fixed list (LANGUAGES=en,de,ja), or the N busiest (auto:N), chosen
 * by posts since start; a language that becomes one of the N busiest is followed from then on, and
 * one that drops out is forgotten. Each engine holds at most `capacity` / N tags (Space-Saving past
 * it, like the main engine), so all languages together stay within the main engine's capacity.
 *
 * Pure: time is passed in.
 */
import type { RankBy, TopEntry } from "../../../shared/messages.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";
import { COMPLETE_ONLY_EPOCH, CountingEngine } from "./counting-engine.ts";

export type LanguageChoice = { readonly kind: "list"; readonly codes: readonly string[] } | { readonly kind: "auto"; readonly busiest: number };

export interface LanguageTopsOptions {
  readonly windows: readonly WindowSpec[];
  readonly topN: number;
  /** The main engine's capacity: the languages share it. */
  readonly capacity: number;
  readonly choice: LanguageChoice;
}

/** The language of a post without one. */
export const UNDETERMINED = "und";

/** A language code as the tops key it: lower case, `und` for none. */
export function languageKey(lang: string | undefined | null): string {
  const key = (lang ?? "").trim().toLowerCase();
  return key === "" ? UNDETERMINED : key;
}

interface Followed {
  readonly engine: CountingEngine;
  /** The main engine's epoch just before this engine's epoch 1: the two count in step from there. */
  readonly offset: number;
}

/** At most this many languages are counted for auto:N's choice (posts per language since start). */
const TALLY_LIMIT = 1000;

export class LanguageTops {
  readonly #options: LanguageTopsOptions;
  readonly #share: number;
  readonly #followed = new Map<string, Followed>();
  /** Posts per language since start, for auto:N. */
  readonly #tally = new Map<string, number>();
  #mainEpoch = 0;
  #now: number;

  /** `epoch`: the main engine's last epoch (after a restore, not 0): languages count in step from the next. */
  constructor(options: LanguageTopsOptions, now: number, epoch = 0) {
    this.#options = options;
    this.#mainEpoch = epoch;
    const slots = options.choice.kind === "list" ? options.choice.codes.length : options.choice.busiest;
    this.#share = Math.max(1, Math.floor(options.capacity / Math.max(1, slots)));
    this.#now = now;
    if (options.choice.kind === "list") for (const code of options.choice.codes) this.#follow(languageKey(code));
  }

  /** The languages kept now, busiest first for auto:N, in the configured order for a list. */
  get languages(): string[] {
    const kept = [...this.#followed.keys()];
    return this.#options.choice.kind === "auto" ? kept.sort((a, b) => (this.#tally.get(b) ?? 0) - (this.#tally.get(a) ?? 0) || (a < b ? -1 : 1)) : kept;
  }

  /** Counts a post of language `lang` in the main engine's interval `epoch` (and, for auto:N, towards its language's rank). */
  post(lang: string | undefined, tags: readonly string[], epoch: number): void {
    const key = languageKey(lang);
    if (this.#options.choice.kind === "auto") this.#count(key);
    this.add(key, tags, epoch);
  }

  /** Counts tags of a post of `lang` in interval `epoch` without counting a post (tags an edit added). */
  add(lang: string | undefined, tags: readonly string[], epoch: number): void {
    const followed = this.#followed.get(languageKey(lang));
    if (followed === undefined) return;
    followed.engine.ingestInto(tags, this.#local(followed, epoch));
  }

  /** Takes back tags of a post of `lang` counted in the main engine's interval `epoch` (an edit or a deletion). */
  retract(lang: string | undefined, tags: readonly string[], epoch: number): void {
    const followed = this.#followed.get(languageKey(lang));
    if (followed === undefined) return;
    const local = this.#local(followed, epoch);
    // Counted before this language was followed: nothing of it is here.
    if (local === COMPLETE_ONLY_EPOCH && epoch !== COMPLETE_ONLY_EPOCH) return;
    followed.engine.retract(tags, local);
  }

  /** Closes the interval at `now` in every language's engine, the main engine's `epoch`. */
  tick(now: number, epoch: number): void {
    this.#now = now;
    this.#mainEpoch = epoch;
    for (const { engine } of this.#followed.values()) engine.tick(now);
  }

  /** The top `n` of `lang` in `window` (by posts), undefined when the language or the window is not kept. */
  top(lang: string, window: string, n: number, by: RankBy = "posts"): TopEntry[] | undefined {
    if (by !== "posts") return undefined;
    return this.#followed.get(languageKey(lang))?.engine.top(window, n);
  }

  /** The tag's posts in every window, per kept language where it has any, busiest language first. */
  countsOf(tag: string): Record<string, Record<string, number>> {
    const counts: Record<string, Record<string, number>> = {};
    for (const lang of this.languages) {
      const windows = this.#followed.get(lang)?.engine.countsOf(tag) ?? {};
      if (Object.values(windows).some((n) => n > 0)) counts[lang] = windows;
    }
    return counts;
  }

  #local(followed: Followed, epoch: number): number {
    const local = epoch - followed.offset;
    return local >= 1 ? local : COMPLETE_ONLY_EPOCH;
  }

  #follow(key: string): void {
    const { windows, topN } = this.#options;
    const engine = new CountingEngine({ windows, topN, now: this.#now, capacity: this.#share });
    this.#followed.set(key, { engine, offset: this.#mainEpoch });
  }

  /** auto:N: counts the post, and follows its language once it is among the N busiest. */
  #count(key: string): void {
    const tally = (this.#tally.get(key) ?? 0) + 1;
    if (this.#tally.has(key) || this.#tally.size < TALLY_LIMIT) this.#tally.set(key, tally);
    if (this.#followed.has(key) || this.#options.choice.kind !== "auto") return;
    const busiest = this.#options.choice.busiest;
    if (this.#followed.size < busiest) {
      this.#follow(key);
      return;
    }
    let quietest: string | undefined;
    for (const kept of this.#followed.keys()) if (quietest === undefined || (this.#tally.get(kept) ?? 0) < (this.#tally.get(quietest) ?? 0)) quietest = kept;
    if (quietest !== undefined && tally > (this.#tally.get(quietest) ?? 0)) {
      this.#followed.delete(quietest);
      this.#follow(key);
    }
  }
}
