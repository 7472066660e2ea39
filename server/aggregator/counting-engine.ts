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
import { copyBucket, ENGINE_STATE_VERSION, type EngineState, type WindowState } from "./engine-state.ts";
import { SpaceSaving } from "./space-saving.ts";
import { OpenBucket, type ClosedBucket } from "./count-bucket.ts";
import type { CountWindow } from "./count-window.ts";
import { scanPlainLine } from "./plain-line.ts";
import { SlidingWindow } from "./sliding-window.ts";
import { TagInterner } from "./tag-interner.ts";
import type { NameOrder } from "./top-n.ts";
import { TopTracker } from "./top-tracker.ts";

export type WindowSpec = { readonly kind: "complete" } | { readonly kind: "sliding"; readonly lengthMs: number };

export interface EngineOptions {
  readonly windows: readonly WindowSpec[];
  readonly topN: number;
  /** Engine time of creation: the `at` of epoch 0. */
  readonly now: number;
  /**
   * Most distinct tags held at once (default: no bound). Counts are exact while the distinct tags
   * fit; past it the engine keeps a Space-Saving summary (space-saving.ts) and reports error bounds.
   */
  readonly capacity?: number;
}

export interface EngineCounters {
  /** Lines ingested (one per post). */
  readonly lines: number;
  /** Tag occurrences ingested. */
  readonly tags: number;
  /** Distinct tags seen: exact while they fit the capacity; past it, names admitted (a tag evicted and seen again counts again). */
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
  /** One top-K tracker per window, in the same order. */
  readonly #trackers: readonly TopTracker[];
  readonly #byName: NameOrder = (a, b) => this.#interner.compare(a, b);
  readonly #topN: number;
  /** Present when a capacity is set: which tags are held, and the error of each count. */
  readonly #summary: SpaceSaving | undefined;
  /** The all-time estimates Space-Saving evicts by: the complete window's totals, or its own when none is configured. */
  readonly #estimates: CountWindow | undefined;
  #evictedSinceSweep = 0;
  #admissions = 0;
  /** Retractions of already-closed intervals, as (id, epoch) pairs, applied at the next tick. */
  #retractions: number[] = [];
  /** (start, end, hash) of each token of the line being scanned by the fast path. */
  #tokens = new Uint32Array(3 * 64);
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
    if (options.capacity !== undefined) {
      if (!(options.capacity >= 1)) throw new RangeError("capacity must be at least 1");
      const summary = new SpaceSaving(options.capacity);
      this.#summary = summary;
      this.#estimates = this.#windows.find((w) => w instanceof CompleteWindow) ?? new CompleteWindow();
    }
    this.#trackers = this.#windows.map(() => new TopTracker(Math.max(64, 2 * options.topN)));
    this.#latest = this.#result(0, options.now);
  }

  /** The whole engine as plain data (see engine-state.ts); the engine is left untouched. */
  exportState(): EngineState {
    const summary = this.#summary;
    const estimates = this.#estimates;
    return {
      version: ENGINE_STATE_VERSION,
      latest: structuredClone(this.#latest),
      lines: this.#lines,
      tags: this.#tags,
      admissions: this.#admissions,
      names: this.#interner.exportState(),
      windows: this.#windows.map((w): WindowState =>
        w instanceof SlidingWindow
          ? { kind: "sliding", name: w.name, buckets: w.buckets.map(copyBucket) }
          : { kind: "complete", name: w.name, totals: w.totals.values.slice(0, this.#interner.idLimit) },
      ),
      ...(estimates !== undefined && !this.#windows.includes(estimates) && { estimates: estimates.totals.values.slice(0, this.#interner.idLimit) }),
      open: this.#open.entries(),
      retractions: Float64Array.from(this.#retractions),
      ...(summary?.active === true && { summary: { ...summary.exportState(this.#interner.idLimit), evictedSinceSweep: this.#evictedSinceSweep } }),
    };
  }

  /** An engine identical to the one that exported `state`, given the same options (windows, topN, capacity). */
  static restore(state: EngineState, options: Omit<EngineOptions, "now">): CountingEngine {
    if (state.version !== ENGINE_STATE_VERSION) throw new RangeError(`unknown engine state version ${String(state.version)}`);
    const engine = new CountingEngine({ ...options, now: state.latest.at });
    const names = engine.windowNames;
    if (state.windows.length !== names.length || state.windows.some((w, i) => w.name !== names[i])) {
      throw new RangeError(`state has windows ${state.windows.map((w) => w.name).join(",")}, options ${names.join(",")}`);
    }
    engine.#load(state);
    return engine;
  }

  #load(state: EngineState): void {
    if (state.summary !== undefined && this.#summary !== undefined) {
      this.#summary.load(state.summary);
      this.#evictedSinceSweep = state.summary.evictedSinceSweep;
      this.#startTracking(this.#summary);
    }
    this.#interner.load(state.names);
    state.windows.forEach((saved, index) => {
      const window = this.#windows[index];
      if (saved.kind === "sliding" && window instanceof SlidingWindow) window.load(saved.buckets.map(copyBucket));
      else if (saved.kind === "complete") window?.totals.ensure(saved.totals.length).set(saved.totals);
    });
    if (state.estimates !== undefined) this.#estimates?.totals.ensure(state.estimates.length).set(state.estimates);
    state.open.ids.forEach((id, i) => this.#open.add(id, state.open.deltas[i] as number));
    this.#retractions = Array.from(state.retractions);
    this.#lines = state.lines;
    this.#tags = state.tags;
    this.#admissions = state.admissions;
    this.#latest = structuredClone(state.latest);
    for (const tracker of this.#trackers) tracker.invalidate();
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

  /**
   * Counts the line `bytes[start..end)` straight from its bytes when it is a plain line of
   * already-normalised names (see plain-line.ts) and returns true; returns false, having counted
   * nothing, for any other line, which the caller then parses as a string and passes to `ingest`.
   */
  ingestPlainLine(bytes: Uint8Array, start: number, end: number): boolean {
    const room = 3 * ((end - start + 2) >> 1);
    if (room > this.#tokens.length) this.#tokens = new Uint32Array(room);
    const tokens = this.#tokens;
    const count = scanPlainLine(bytes, start, end, tokens);
    if (count < 0) return false;
    if (count === 0) return true;
    this.#lines++;
    this.#tags += count;
    for (let i = 0; i < count * 3; i += 3) {
      this.#open.add(this.#interner.internBytes(bytes, tokens[i] as number, tokens[i + 1] as number, tokens[i + 2] as number), 1);
    }
    return true;
  }

  /** The epoch whose tick will fold in what is ingested now: remember it to retract a post later. */
  get openEpoch(): number {
    return this.#latest.epoch + 1;
  }

  /**
   * Takes back one occurrence of each tag of a post that was ingested while `openEpoch` was
   * `countedIn` (a deleted post, or tags an edit removed). Like every change, it shows at the next
   * tick: each window that still holds that interval loses the occurrence, windows it has already
   * left are untouched, and the interval's bucket is corrected so that its later expiry subtracts
   * only what remains. Tags never counted in that interval are ignored.
   */
  retract(tags: readonly string[], countedIn: number): void {
    for (const tag of tags) {
      const id = this.#interner.lookup(tag);
      // A tag no longer held, or held again since that interval, keeps no count of it to take back.
      if (id === undefined || (this.#summary !== undefined && countedIn < this.#summary.tenureOf(id))) continue;
      if (countedIn >= this.openEpoch) this.#open.add(id, -1);
      else this.#retractions.push(id, countedIn);
    }
  }

  #applyRetractions(): void {
    const pending = this.#retractions;
    for (let i = 0; i < pending.length; i += 2) {
      const id = pending[i] as number;
      const epoch = pending[i + 1] as number;
      const bucket = this.#heldBucket(epoch);
      if (bucket !== undefined) {
        const index = bucket.ids.indexOf(id);
        if (index === -1 || (bucket.deltas[index] as number) <= 0) continue;
        bucket.deltas[index] = (bucket.deltas[index] as number) - 1;
      }
      for (const window of this.#windows) {
        if (window.holds(epoch) && window.totals.get(id) > 0) window.totals.add(id, -1);
      }
    }
    this.#retractions = [];
  }

  #heldBucket(epoch: number): ClosedBucket | undefined {
    for (const window of this.#windows) {
      if (window instanceof SlidingWindow) {
        const bucket = window.bucketAt(epoch);
        if (bucket !== undefined) return bucket;
      }
    }
    return undefined;
  }

  /** Closes the current interval at `now`, advances every window and computes the tops. */
  tick(now: number): TickResult {
    this.#applyRetractions();
    const epoch = this.#latest.epoch + 1;
    const bucket = this.#open.close(epoch, now);
    this.#admit(epoch);
    this.#windows.forEach((window, index) => {
      window.advance(bucket);
      this.#trackers[index]?.update(window.totals.values, bucket.ids, this.#interner.idLimit, this.#byName);
    });
    if (this.#estimates !== undefined && !this.#windows.includes(this.#estimates)) this.#estimates.advance(bucket);
    this.#evict(epoch);
    this.#latest = this.#result(epoch, now);
    return this.#latest;
  }

  /** Space-Saving: a name first held in this interval starts at the floor, its error. */
  #admit(epoch: number): void {
    if (this.#summary?.active !== true || this.#estimates === undefined) return;
    const admitted = this.#interner.takeAdmitted();
    this.#admissions += admitted.length;
    for (const id of admitted) {
      this.#summary.admit(id, epoch);
      if (this.#summary.floor > 0) this.#estimates.totals.add(id, this.#summary.floor);
    }
  }

  /** Space-Saving: beyond the capacity, the smallest all-time estimates leave. */
  #evict(epoch: number): void {
    const summary = this.#summary;
    if (summary === undefined || this.#estimates === undefined || this.#interner.size <= summary.capacity) return;
    if (!summary.active) {
      const held: number[] = [];
      for (let id = 0; id < this.#interner.idLimit; id++) if (this.#interner.holds(id)) held.push(id);
      summary.activate(held, this.#estimates.totals.values);
      this.#admissions = held.length;
      this.#startTracking(summary);
    }
    const evicted = summary.evict(this.#interner.size - summary.capacity, this.#estimates.totals.values, epoch);
    const windows = this.#windows.includes(this.#estimates) ? this.#windows : [...this.#windows, this.#estimates];
    for (const id of evicted) {
      for (const window of windows) window.totals.add(id, -window.totals.get(id));
      for (const tracker of this.#trackers) tracker.forget(id);
      this.#interner.release(id);
    }
    // Held buckets still list evicted ids; once enough have left, drop those entries.
    this.#evictedSinceSweep += evicted.length;
    if (this.#evictedSinceSweep * 2 >= summary.capacity) {
      for (const window of this.#windows) if (window instanceof SlidingWindow) window.sweep();
      this.#evictedSinceSweep = 0;
    }
  }

  /** From the first eviction on: new names are remembered for admission, and ids can change tag. */
  #startTracking(summary: SpaceSaving): void {
    this.#interner.trackAdmissions();
    for (const window of this.#windows) if (window instanceof SlidingWindow) window.keepOnly((id, epoch) => summary.current(id, epoch));
  }

  /** Lines and tags ingested so far, including those the next tick will fold in. */
  get ingested(): EngineCounters {
    return this.#counters();
  }

  /** The result of the last tick (epoch 0, empty, before the first). */
  get latest(): TickResult {
    return this.#latest;
  }

  /** The top `n` of one window as of the last tick, or undefined for an unknown window. */
  top(windowName: string, n: number): TopEntry[] | undefined {
    const index = this.#windows.findIndex((w) => w.name === windowName);
    return index === -1 ? undefined : this.#top(index, n);
  }

  /**
   * How far `tag`'s count in each window may be from the truth: 0 while counts are exact. Past the
   * capacity, a complete count overcounts by at most this much (Space-Saving); a sliding count
   * undercounts by at most this much, and only while the tag's tenure began inside the window; a
   * tag not held has a count of 0 and a true count of at most the floor.
   */
  errorsOf(tag: string): Record<string, number> {
    const id = this.#interner.lookup(tag);
    const errors: Record<string, number> = {};
    for (const window of this.#windows) errors[window.name] = this.#errorOf(window, id);
    return errors;
  }

  #errorOf(window: CountWindow, id: number | undefined): number {
    const summary = this.#summary;
    if (summary === undefined) return 0;
    if (id === undefined) return summary.floor;
    if (window instanceof SlidingWindow && summary.tenureOf(id) <= window.oldestEpoch) return 0;
    return summary.errorOf(id);
  }

  /** One tag's count in every window as of the last tick (0 where absent). */
  countsOf(tag: string): Record<string, number> {
    const id = this.#interner.lookup(tag);
    const counts: Record<string, number> = {};
    for (const window of this.#windows) counts[window.name] = id === undefined ? 0 : window.totals.get(id);
    return counts;
  }

  #top(index: number, n: number): TopEntry[] {
    const window = this.#windows[index] as CountWindow;
    const tracker = this.#trackers[index] as TopTracker;
    return tracker.topOrScan(window.totals.values, n, this.#interner.idLimit, this.#byName).map((r, rank) => {
      const error = this.#errorOf(window, r.id);
      return { tag: this.#interner.name(r.id), count: r.count, rank: rank + 1, ...(error > 0 && { error }) };
    });
  }

  #counters(): EngineCounters {
    const distinct = this.#summary?.active === true ? this.#admissions + this.#interner.pendingAdmissions : this.#interner.size;
    return { lines: this.#lines, tags: this.#tags, distinct };
  }

  #result(epoch: number, at: number): TickResult {
    return {
      epoch,
      at,
      windows: this.#windows.map((w, index) => ({ window: w.name, top: this.#top(index, this.#topN) })),
      counters: this.#counters(),
    };
  }
}
