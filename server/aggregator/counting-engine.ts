/**
 * The windowed counting engine: pure, synchronous, no I/O, no clock.
 *
 * Lines go into one open bucket shared by all windows; `tick(now)` closes it, folds it into every
 * window and computes each window's top-N. Totals therefore change only at ticks, which gives
 * micro-batch semantics: everything a reader sees (the snapshot, `top`, `countsOf`) is the state
 * as of the last tick, labelled with its epoch. Time is always passed in, so tests script exact
 * timelines.
 */
import type { TopEntry } from "../../shared/messages.ts";
import { CompleteWindow } from "./complete-window.ts";
import { OpenBucket } from "./count-bucket.ts";
import type { CountWindow } from "./count-window.ts";
import { SlidingWindow } from "./sliding-window.ts";
import { TagInterner } from "./tag-interner.ts";
import { selectTop } from "./top-n.ts";

export type WindowSpec = { readonly kind: "complete" } | { readonly kind: "sliding"; readonly lengthMs: number };

export interface EngineOptions {
  readonly windows: readonly WindowSpec[];
  readonly topN: number;
  /** Engine time of creation: the `at` of epoch 0. */
  readonly now: number;
}

export interface EngineCounters {
  /** Lines ingested (one per post). */
  readonly lines: number;
  /** Tag occurrences ingested. */
  readonly tags: number;
  /** Distinct tags ever seen. */
  readonly distinct: number;
}

export interface TickResult {
  readonly epoch: number;
  readonly at: number;
  readonly windows: ReadonlyArray<{ readonly window: string; readonly top: readonly TopEntry[] }>;
  readonly counters: EngineCounters;
}

export class CountingEngine {
  readonly #interner = new TagInterner();
  readonly #open = new OpenBucket();
  readonly #windows: readonly CountWindow[];
  readonly #topN: number;
  #lines = 0;
  #tags = 0;
  #latest: TickResult;

  constructor(options: EngineOptions) {
    if (options.windows.length === 0) throw new RangeError("at least one window is required");
    this.#windows = options.windows.map((spec) =>
      spec.kind === "complete" ? new CompleteWindow() : new SlidingWindow(spec.lengthMs),
    );
    const names = new Set(this.#windows.map((w) => w.name));
    if (names.size !== this.#windows.length) throw new RangeError("window names must be distinct");
    this.#topN = options.topN;
    this.#latest = this.#result(0, options.now);
  }

  get windowNames(): string[] {
    return this.#windows.map((w) => w.name);
  }

  /** Counts one line: every tag in it once per occurrence. Tags must already be normalised. */
  ingest(tags: readonly string[]): void {
    this.#lines++;
    for (const tag of tags) {
      this.#open.add(this.#interner.intern(tag), 1);
    }
    this.#tags += tags.length;
  }

  /** Closes the current interval at `now`, advances every window and computes the tops. */
  tick(now: number): TickResult {
    const bucket = this.#open.close(now);
    for (const window of this.#windows) window.advance(bucket);
    this.#latest = this.#result(this.#latest.epoch + 1, now);
    return this.#latest;
  }

  /** The result of the last tick (epoch 0, empty, before the first). */
  get latest(): TickResult {
    return this.#latest;
  }

  /** The top `n` of one window as of the last tick, or undefined for an unknown window. */
  top(windowName: string, n: number): TopEntry[] | undefined {
    const window = this.#windows.find((w) => w.name === windowName);
    return window && this.#top(window, n);
  }

  /** One tag's count in every window as of the last tick (0 where absent). */
  countsOf(tag: string): Record<string, number> {
    const id = this.#interner.lookup(tag);
    const counts: Record<string, number> = {};
    for (const window of this.#windows) counts[window.name] = id === undefined ? 0 : window.totals.get(id);
    return counts;
  }

  #top(window: CountWindow, n: number): TopEntry[] {
    const nameOf = (id: number): string => this.#interner.name(id);
    return selectTop(window.totals.values, this.#interner.size, n, nameOf).map((r, index) => ({
      tag: nameOf(r.id),
      count: r.count,
      rank: index + 1,
    }));
  }

  #result(epoch: number, at: number): TickResult {
    return {
      epoch,
      at,
      windows: this.#windows.map((w) => ({ window: w.name, top: this.#top(w, this.#topN) })),
      counters: { lines: this.#lines, tags: this.#tags, distinct: this.#interner.size },
    };
  }
}
