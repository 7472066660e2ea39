/**
 * The windowed counting engine: pure, synchronous, no I/O, no clock.
 *
 * Lines go into one open interval shared by all windows (a delta in each tag's row of counts);
 * `tick(now)` closes it, folding it into every window in one pass, and updates each window's top-N. Totals therefore change only at ticks, which gives
 * micro-batch semantics: everything a reader sees (the snapshot, `top`, `countsOf`) is the state
 * as of the last tick, labelled with its epoch. Time is always passed in, so tests script exact
 * timelines.
 */
import type { RankBy, TopEntry } from "../../../shared/messages.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";
import { AccountCounts, type AccountCountsState } from "./account-counts.ts";
import { BucketLog } from "./bucket-log.ts";
import { TrendScores, type TrendOptions, type TrendScoresState } from "./trend-scores.ts";
import { CompleteWindow } from "./complete-window.ts";
import { capturedArraysIn, capturedSlices, type Capture, type CapturedArray, type Captured } from "./captured-arrays.ts";
import { withLateEntries, type ClosedBucket } from "./count-bucket.ts";
import { CountRows } from "./count-rows.ts";
import type { CountWindow } from "./count-window.ts";
import { copyBucket, ENGINE_STATE_VERSION, type EngineState, type WindowState } from "./engine-state.ts";
import { scanPlainLine } from "./plain-line.ts";
import { SlidingWindow } from "./sliding-window.ts";
import { TagCapacity } from "./tag-capacity.ts";
import { TagInterner } from "./tag-interner.ts";
import type { EngineCounters, TickResult } from "./tick-result.ts";
import type { NameOrder } from "./top-n.ts";
import { TopTracker } from "./top-tracker.ts";

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
  /**
   * Count distinct accounts per tag too (account-counts.ts): `capacity` is the most (tag, account)
   * pairs held at once. Without it the engine counts posts only, as the textbook does.
   */
  readonly accounts?: { readonly capacity: number; readonly trend?: TrendOptions };
  /**
   * Event time (TIME=event): a post with a `ts` is counted in the interval its `ts` falls in, not
   * the one it arrived in, so it leaves each sliding window when its own time does. The watermark
   * is the newest event time seen minus `allowedLatenessMs`; older posts count in `complete` only.
   * Without it (TIME=arrival) every post counts when it arrives, as the textbook does.
   */
  readonly eventTime?: { readonly allowedLatenessMs: number };
}

/** A post as `ingestPost` takes it: its author, event time and arrival time (ms), when known. */
export interface PostFacts {
  readonly acct?: string | undefined;
  readonly ts?: number | undefined;
  readonly arrival?: number | undefined;
}

/** The epoch given to a post that counts in `complete` only (no sliding window holds it). */
export const COMPLETE_ONLY_EPOCH = 0;

/** A tag's trend as of the last tick: score (decayed best), observed and expected accounts. */
export interface TagTrend {
  readonly score: number;
  readonly observed: number;
  readonly expected: number | undefined;
}

export class CountingEngine {
  readonly #interner: TagInterner;
  /** Per tag: the open interval's delta and one total per window (plus Space-Saving's estimates when no window is complete). */
  readonly #rows: CountRows;
  readonly #windows: readonly CountWindow[];
  readonly #sliding: readonly SlidingWindow[];
  /** The buckets the sliding windows hold (none without sliding windows). */
  readonly #log: BucketLog | undefined;
  /** One top-K tracker per window, in the same order. */
  readonly #trackers: readonly TopTracker[];
  /** Each tracker's floor, and the ids that rose above it in the interval being closed. */
  readonly #floors: Float64Array;
  readonly #risers: number[][];
  readonly #byName: NameOrder = (a, b) => this.#interner.compare(a, b);
  readonly #topN: number;
  /** Engine time of creation: nothing is older than the engine's first interval. */
  #createdAt: number;
  /** Present when a capacity is set. */
  readonly #capacity: TagCapacity | undefined;
  /** Retractions of already-closed intervals, as (id, epoch) pairs, applied at the next tick. */
  #retractions: number[] = [];
  /** (start, end, hash) of each token of the line being scanned by the fast path. */
  #tokens = new Uint32Array(3 * 64);
  #lines = 0;
  #tags = 0;
  /** Present when accounts are counted: one column per window, in the same order. */
  readonly #accounts: AccountCounts | undefined;
  /** Present with a trend: the scores, and the account column of the trend window (a window's, or one of its own after them). */
  readonly #trend: TrendScores | undefined;
  readonly #trendColumn: number = -1;
  #withAccount = 0;
  readonly #lateness: number | undefined;
  #newestEventTs = Number.NEGATIVE_INFINITY;
  #late = 0;
  #beforeWindow = 0;
  #future = 0;
  /** Posts counted in a closed interval (their event time's): its epoch, then the post's tag ids; applied at the next tick. */
  #lateAdds: Array<{ readonly epoch: number; readonly ids: number[] }> = [];
  #latest: TickResult;
  /** The captured arrays of each capture not yet released (see `capture`). */
  readonly #unsettled = new Set<readonly CapturedArray[]>();

  constructor(options: EngineOptions) {
    const specs = options.windows;
    if (specs.length === 0) throw new RangeError("at least one window is required");
    if (options.capacity !== undefined && !(options.capacity >= 1)) throw new RangeError("capacity must be at least 1");
    const complete = specs.findIndex((spec) => spec.kind === "complete");
    // Space-Saving needs all-time estimates: the complete window's, else a column of their own.
    const estimates = options.capacity === undefined ? -1 : complete === -1 ? specs.length : complete;
    this.#interner = new TagInterner(options.capacity);
    this.#rows = new CountRows(Math.max(specs.length, estimates + 1), options.capacity);
    const log = new BucketLog();
    this.#windows = specs.map((spec, column) => (spec.kind === "complete" ? new CompleteWindow(column) : new SlidingWindow(spec.lengthMs, this.#rows, column, log)));
    this.#sliding = this.#windows.filter((w) => w instanceof SlidingWindow);
    this.#log = this.#sliding.length > 0 ? log : undefined;
    const names = new Set(this.#windows.map((w) => w.name));
    if (names.size !== this.#windows.length) throw new RangeError("window names must be distinct");
    this.#topN = options.topN;
    this.#createdAt = options.now;
    this.#trackers = this.#windows.map(() => new TopTracker(Math.max(64, 2 * options.topN), options.capacity));
    this.#floors = new Float64Array(this.#rows.stride - 1).fill(Number.POSITIVE_INFINITY);
    this.#risers = this.#windows.map(() => []);
    this.#capacity = options.capacity === undefined ? undefined : new TagCapacity(options.capacity, this.#interner, this.#rows, estimates, this.#log, this.#trackers);
    const columns = specs.map((spec) => ({ lengthMs: spec.kind === "complete" ? Number.POSITIVE_INFINITY : spec.lengthMs }));
    const trend = options.accounts?.trend;
    if (trend !== undefined) {
      this.#trendColumn = columns.findIndex((c) => c.lengthMs === trend.windowMs);
      if (this.#trendColumn === -1) this.#trendColumn = columns.push({ lengthMs: trend.windowMs }) - 1;
      this.#trend = new TrendScores(trend, options.now);
    }
    this.#accounts = options.accounts === undefined ? undefined : new AccountCounts(columns, options.accounts.capacity, Math.max(64, 2 * options.topN));
    if (trend !== undefined) this.#accounts?.watch(this.#trendColumn, trend.threshold);
    this.#lateness = options.eventTime?.allowedLatenessMs;
    this.#latest = this.#result(0, options.now);
  }

  /** The whole engine as plain data (see engine-state.ts); the engine is left untouched. */
  exportState(): EngineState {
    const limit = this.#interner.idLimit;
    const capacity = this.#capacity?.exportState();
    const ownEstimates = this.#rows.stride - 1 > this.#windows.length;
    return {
      version: ENGINE_STATE_VERSION,
      latest: structuredClone(this.#latest),
      lines: this.#lines,
      tags: this.#tags,
      admissions: capacity?.admissions ?? 0,
      names: this.#interner.exportState(),
      windows: this.#windows.map((w): WindowState =>
        w instanceof SlidingWindow
          ? { kind: "sliding", name: w.name, buckets: w.buckets.map(copyBucket) }
          : { kind: "complete", name: w.name, totals: this.#rows.column(w.column, limit) },
      ),
      ...(ownEstimates && { estimates: this.#rows.column(this.#windows.length, limit) }),
      open: this.#rows.openEntries(),
      retractions: Float64Array.from(this.#retractions),
      ...(capacity?.summary !== undefined && { summary: capacity.summary }),
      ...this.#countingState(),
    };
  }

  /** Account pairs, the trend's baseline and the event-time state, copied (the same in `exportState` and `capture`). */
  #countingState(): Pick<EngineState, "accounts" | "withAccount" | "trend" | "eventTime"> {
    return {
      ...(this.#accounts !== undefined && { accounts: this.#accounts.exportState(), withAccount: this.#withAccount }),
      ...(this.#trend !== undefined && { trend: this.#trend.exportState() }),
      ...(this.#lateness !== undefined && {
        eventTime: {
          newest: this.#newestEventTs,
          late: this.#late,
          beforeWindow: this.#beforeWindow,
          future: this.#future,
          pending: this.#lateAdds.map(({ epoch, ids }) => ({ epoch, ids: [...ids] })),
          createdAt: this.#createdAt,
        },
      }),
    };
  }

  /**
   * `exportState` captured (see captured-arrays.ts): what changes between ticks (the open interval,
   * pending retractions, the free and admitted ids, a bucket's late entries, the account pairs, the
   * trend's baseline and the event-time state) is copied now; the bulk (names, totals, buckets,
   * the summary) is read later, and changes only at a tick, which first settles every capture not
   * yet released. Ingesting in between is safe: it changes only the open deltas and adds names.
   */
  capture(): Capture<EngineState> {
    const limit = this.#interner.idLimit;
    const ownEstimates = this.#rows.stride - 1 > this.#windows.length;
    const log = this.#log;
    const bucketsOf = (window: SlidingWindow): Array<Captured<ClosedBucket>> => {
      const buckets: Array<Captured<ClosedBucket>> = [];
      if (log === undefined) return buckets;
      for (let number = window.oldestHeld; number < log.end; number++) {
        const { epoch, closedAt, ids, deltas } = log.bucket(number);
        // Entries a late post added after the bucket closed: few, copied now beside the bucket's own.
        const late = log.lateOf(epoch);
        if (late !== undefined) {
          buckets.push(withLateEntries({ epoch, closedAt, ids, deltas }, late));
          continue;
        }
        buckets.push({
          epoch,
          closedAt,
          ids: capturedSlices("Uint32Array", ids.length, () => log.bucket(number).ids),
          deltas: capturedSlices("Int32Array", ids.length, () => log.bucket(number).deltas),
        });
      }
      return buckets;
    };
    const capacity = this.#capacity?.capture();
    const state: Captured<EngineState> = {
      version: ENGINE_STATE_VERSION,
      latest: structuredClone(this.#latest),
      lines: this.#lines,
      tags: this.#tags,
      admissions: capacity?.admissions ?? 0,
      names: this.#interner.capture(),
      windows: this.#windows.map((w): Captured<WindowState> =>
        w instanceof SlidingWindow
          ? { kind: "sliding", name: w.name, buckets: bucketsOf(w) }
          : { kind: "complete", name: w.name, totals: this.#rows.captureColumn(w.column, limit) },
      ),
      ...(ownEstimates && { estimates: this.#rows.captureColumn(this.#windows.length, limit) }),
      open: this.#rows.openEntries(),
      retractions: Float64Array.from(this.#retractions),
      ...(capacity?.summary !== undefined && { summary: capacity.summary }),
      // Pairs, baseline and pending late posts change with every post, not only at a tick: copied now.
      ...this.#countingState(),
    };
    const pending = capturedArraysIn(state);
    this.#unsettled.add(pending);
    return { state, release: () => this.#unsettled.delete(pending) };
  }

  /** Before a tick changes totals, buckets or names: every capture still being read copies the rest. */
  #settleCaptures(): void {
    for (const arrays of this.#unsettled) for (const array of arrays) array.settle();
    this.#unsettled.clear();
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
    this.#capacity?.load(state.admissions, state.summary);
    this.#interner.load(state.names);
    this.#capacity?.loaded(state.summary);
    this.#rows.ensure(this.#interner.idLimit);
    this.#loadBuckets(state.windows);
    state.windows.forEach((saved, index) => {
      const window = this.#windows[index];
      if (saved.kind === "complete" && window !== undefined) this.#rows.loadColumn(window.column, saved.totals);
    });
    if (state.estimates !== undefined) this.#rows.loadColumn(this.#windows.length, state.estimates);
    state.open.ids.forEach((id, i) => this.#rows.add(id, state.open.deltas[i] as number));
    this.#retractions = Array.from(state.retractions);
    this.#lines = state.lines;
    this.#tags = state.tags;
    if (this.#accounts !== undefined && state.accounts !== undefined) {
      this.#accounts.load(state.accounts as AccountCountsState);
      this.#withAccount = state.withAccount ?? 0;
    }
    if (this.#trend !== undefined && state.trend !== undefined) this.#trend.load(state.trend as TrendScoresState);
    if (this.#lateness !== undefined && state.eventTime !== undefined) {
      this.#newestEventTs = state.eventTime.newest;
      this.#late = state.eventTime.late;
      this.#beforeWindow = state.eventTime.beforeWindow;
      this.#future = state.eventTime.future;
      this.#lateAdds = state.eventTime.pending.map(({ epoch, ids }) => ({ epoch, ids: [...ids] }));
      if (state.eventTime.createdAt !== undefined) this.#createdAt = state.eventTime.createdAt;
    }
    this.#latest = structuredClone(state.latest);
    for (const tracker of this.#trackers) tracker.invalidate();
  }

  /** Every sliding window holds a suffix of the longest one's buckets: they go into the log once. */
  #loadBuckets(saved: EngineState["windows"]): void {
    const lists = saved.map((w) => (w.kind === "sliding" ? w.buckets : []));
    const longest = lists.reduce((a, b) => (b.length > a.length ? b : a), []);
    for (const bucket of longest) this.#log?.append(copyBucket(bucket));
    this.#windows.forEach((window, index) => {
      const held = lists[index] ?? [];
      if (window instanceof SlidingWindow) window.load(held.length === 0 ? longest.length : this.#log?.find((held[0] as ClosedBucket).epoch, 0) ?? 0);
    });
  }

  get windowNames(): string[] {
    return this.#windows.map((w) => w.name);
  }

  /** Counts one line: every tag in it once per occurrence. Tags must already be normalised. */
  ingest(tags: readonly string[]): void {
    this.#lines++;
    for (const tag of tags) {
      this.#rows.add(this.#interner.intern(tag), 1);
    }
    this.#tags += tags.length;
  }

  /**
   * Counts one post: its tags as `ingest` does, and, when accounts are counted and the post has an
   * author, that author once per tag (distinct accounts, account-counts.ts).
   */
  ingestPost(tags: readonly string[], post: PostFacts = {}): number {
    const epoch = this.#eventEpoch(tags, post);
    if (epoch === this.openEpoch) this.ingest(tags);
    else {
      this.#lines++;
      this.#tags += tags.length;
      this.#lateAdds.push({ epoch, ids: tags.map((tag) => this.#interner.intern(tag)) });
    }
    if (post.acct !== undefined && this.#accounts !== undefined) {
      this.#withAccount++;
      this.#accounts.add(tags, post.acct, epoch);
    }
    return epoch;
  }

  /**
   * The interval a post counts in: the open one (arrival time, or an event time after the last
   * tick), the closed one its event time falls in, or COMPLETE_ONLY_EPOCH when it is older than
   * the watermark or than every interval the sliding windows hold.
   */
  #eventEpoch(tags: readonly string[], { ts, arrival }: PostFacts): number {
    const log = this.#log;
    if (this.#lateness === undefined || ts === undefined) return this.openEpoch;
    let time = ts;
    if (arrival !== undefined && time > arrival) {
      // Clock skew: a post cannot have been written after it arrived.
      this.#future++;
      time = arrival;
    }
    if (time > this.#newestEventTs) this.#newestEventTs = time;
    if (time < this.#newestEventTs - this.#lateness) {
      this.#late++;
      return COMPLETE_ONLY_EPOCH;
    }
    if (time > this.#latest.at || log === undefined) return this.openEpoch;
    const number = log.findByTime(time);
    if (number === -1) return this.openEpoch;
    const epoch = log.epochOf(number);
    // An interval is counted only for ids that held their tag then: a tag admitted since counts now.
    const capacity = this.#capacity;
    if (capacity !== undefined && tags.some((tag) => {
      const id = this.#interner.lookup(tag);
      return id === undefined || epoch < capacity.tenureOf(id);
    })) return this.openEpoch;
    // Older than the oldest interval held (whose start is the newest one forgotten, or the engine's creation).
    const heldFrom = Number.isFinite(log.droppedClosedAt) ? log.droppedClosedAt : this.#createdAt;
    if (time > heldFrom) return epoch;
    this.#beforeWindow++;
    return COMPLETE_ONLY_EPOCH;
  }

  /**
   * Counts the posts given closed intervals since the last tick (before the windows advance to
   * `now`): into each window that holds their interval now, and into the interval's late entries,
   * so that a window letting the interval go at this very tick takes them out again. A post whose
   * interval some sliding window no longer holds after this tick is older than that window's start.
   */
  #applyLateAdds(now: number): void {
    const log = this.#log;
    for (const { epoch, ids } of this.#lateAdds) {
      const number = epoch === COMPLETE_ONLY_EPOCH || log === undefined ? -1 : log.find(epoch, log.start);
      const held = number !== -1 && this.#heldBucket(epoch) !== undefined;
      const closedAt = held && log !== undefined ? log.closedAtOf(number) : Number.NEGATIVE_INFINITY;
      // Late posts and those older than every interval held were counted as such on arrival.
      if (epoch !== COMPLETE_ONLY_EPOCH && this.#sliding.some((window) => closedAt <= now - window.lengthMs)) this.#beforeWindow++;
      for (const id of ids) {
        if (held) log?.addLate(epoch, id, 1);
        for (const [index, window] of this.#windows.entries()) {
          if (!(window instanceof CompleteWindow) && !(held && window.holds(epoch))) continue;
          this.#rows.addTotal(id, window.column, 1);
          if (this.#rows.total(id, window.column) > (this.#floors[index] as number)) this.#risers[index]?.push(id);
        }
        // Space-Saving's own estimates column, when no complete window holds them.
        if (this.#rows.stride - 1 > this.#windows.length) this.#rows.addTotal(id, this.#windows.length, 1);
      }
    }
    this.#lateAdds = [];
  }

  /**
   * Counts one post in interval `epoch` as another engine decided it (the per-language engines
   * follow the main one's event-time decision): the open interval, a closed one still held, or
   * COMPLETE_ONLY_EPOCH.
   */
  ingestInto(tags: readonly string[], epoch: number): void {
    if (epoch >= this.openEpoch) {
      this.ingest(tags);
      return;
    }
    this.#lines++;
    this.#tags += tags.length;
    this.#lateAdds.push({ epoch, ids: tags.map((tag) => this.#interner.intern(tag)) });
  }

  /** Counts `acct` as an author of `tags` in the open interval, without counting a post (tags an edit added). */
  addAuthor(tags: readonly string[], acct: string): void {
    this.#accounts?.add(tags, acct, this.openEpoch);
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
      this.#rows.add(this.#interner.internBytes(bytes, tokens[i] as number, tokens[i + 1] as number, tokens[i + 2] as number), 1);
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
  retract(tags: readonly string[], countedIn: number, acct?: string): void {
    if (acct !== undefined) this.#accounts?.retract(tags, acct, countedIn);
    for (const tag of tags) {
      const id = this.#interner.lookup(tag);
      // A tag no longer held, or held again since that interval, keeps no count of it to take back.
      if (id === undefined || (this.#capacity !== undefined && countedIn < this.#capacity.tenureOf(id))) continue;
      if (countedIn >= this.openEpoch) this.#rows.add(id, -1);
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
        if (index !== -1 && (bucket.deltas[index] as number) > 0) bucket.deltas[index] = (bucket.deltas[index] as number) - 1;
        else if (this.#log?.retractLate(epoch, id) !== true) continue;
      }
      for (const window of this.#windows) {
        if (window.holds(epoch) && this.#rows.total(id, window.column) > 0) this.#rows.addTotal(id, window.column, -1);
      }
    }
    this.#retractions = [];
  }

  #heldBucket(epoch: number): ClosedBucket | undefined {
    for (const window of this.#sliding) {
      const bucket = window.bucketAt(epoch);
      if (bucket !== undefined) return bucket;
    }
    return undefined;
  }

  /** Closes the current interval at `now`, advances every window and computes the tops. */
  tick(now: number): TickResult {
    this.#settleCaptures();
    this.#applyRetractions();
    const epoch = this.#latest.epoch + 1;
    this.#capacity?.admit(epoch);
    this.#trackers.forEach((tracker, index) => (this.#floors[index] = tracker.floor));
    this.#applyLateAdds(now);
    this.#rows.close(epoch, now, this.#floors, this.#risers, this.#log);
    this.#windows.forEach((window, index) => {
      window.advance(now);
      const risers = this.#risers[index] as number[];
      this.#trackers[index]?.update(this.#rows.view(window.column), risers, this.#interner.idLimit, this.#byName);
      risers.length = 0;
    });
    this.#log?.dropBefore(Math.min(...this.#sliding.map((w) => w.oldestHeld)));
    this.#tickAccounts(epoch, now);
    this.#capacity?.evict(epoch);
    this.#latest = this.#result(epoch, now);
    return this.#latest;
  }

  #tickAccounts(epoch: number, now: number): void {
    const accounts = this.#accounts;
    if (accounts === undefined) return;
    const trend = this.#trend;
    if (trend === undefined) {
      accounts.tick(epoch, now);
      return;
    }
    // Each pair counts once per baseline slot, at the tick that first folds a post of it there.
    const slot = trend.slotOf(now);
    accounts.tick(epoch, now, (tag, pair) => {
      if (pair.slot === slot) return;
      pair.slot = slot;
      trend.countAccount(accounts.nameOf(tag), slot);
    });
    const column = this.#trendColumn;
    trend.tick(
      now,
      [...accounts.watched].map((id) => accounts.nameOf(id)),
      (tag) => accounts.countOf(tag, column),
    );
  }

  /** The tag's trend as of the last tick, when a trend is configured. */
  trendOf(tag: string): TagTrend | undefined {
    const trend = this.#trend;
    const accounts = this.#accounts;
    if (trend === undefined || accounts === undefined) return undefined;
    return { score: trend.scoreOf(tag), observed: accounts.countOf(tag, this.#trendColumn), expected: trend.expectedOf(tag, this.#latest.at) };
  }

  /** The trend's settings, when one is configured. */
  get trendOptions(): TrendOptions | undefined {
    return this.#trend?.options;
  }

  /** Lines and tags ingested so far, including those the next tick will fold in. */
  get ingested(): EngineCounters {
    return this.#counters();
  }

  /** The result of the last tick (epoch 0, empty, before the first). */
  get latest(): TickResult {
    return this.#latest;
  }

  /** The top `n` of one window as of the last tick, ranked `by` posts or accounts, or undefined for an unknown window. */
  top(windowName: string, n: number, by: RankBy = "posts"): TopEntry[] | undefined {
    const index = this.#windows.findIndex((w) => w.name === windowName);
    if (index === -1) return undefined;
    if (by === "trend") return this.#topByTrend(index, n);
    return by === "accounts" ? this.#topByAccounts(index, n) : this.#top(index, n);
  }

  /** True when the engine counts distinct accounts. */
  get countsAccounts(): boolean {
    return this.#accounts !== undefined;
  }

  /** One tag's distinct accounts in every window as of the last tick, when accounts are counted. */
  accountsOf(tag: string): Record<string, number> | undefined {
    const accounts = this.#accounts;
    if (accounts === undefined) return undefined;
    const counts: Record<string, number> = {};
    this.#windows.forEach((window, c) => (counts[window.name] = accounts.countOf(tag, c)));
    return counts;
  }

  /** How far each account count of `tag` may be below the truth (0 while exact), when accounts are counted. */
  accountErrorsOf(tag: string): Record<string, number> | undefined {
    const accounts = this.#accounts;
    if (accounts === undefined) return undefined;
    const errors: Record<string, number> = {};
    this.#windows.forEach((window, c) => (errors[window.name] = accounts.errorOf(tag, c)));
    return errors;
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
    for (const window of this.#windows) errors[window.name] = this.#capacity?.errorOf(window, id) ?? 0;
    return errors;
  }

  /** One tag's count in every window as of the last tick (0 where absent). */
  countsOf(tag: string): Record<string, number> {
    const id = this.#interner.lookup(tag);
    const counts: Record<string, number> = {};
    for (const window of this.#windows) counts[window.name] = id === undefined ? 0 : this.#rows.total(id, window.column);
    return counts;
  }

  #top(index: number, n: number): TopEntry[] {
    const window = this.#windows[index] as CountWindow;
    const tracker = this.#trackers[index] as TopTracker;
    return tracker.topOrScan(this.#rows.view(window.column), n, this.#interner.idLimit, this.#byName).map((r, rank) => {
      const error = this.#capacity?.errorOf(window, r.id) ?? 0;
      const tag = this.#interner.name(r.id);
      return { tag, count: r.count, rank: rank + 1, ...(error > 0 && { error }), ...this.#accountFields(tag, index) };
    });
  }

  /** The best `n` of a window by distinct accounts; `count` is still the tag's posts there. */
  #topByAccounts(index: number, n: number): TopEntry[] {
    const accounts = this.#accounts;
    if (accounts === undefined) return [];
    const window = this.#windows[index] as CountWindow;
    return accounts.top(index, n).map(({ tag }, rank) => {
      const id = this.#interner.lookup(tag);
      const error = this.#capacity?.errorOf(window, id) ?? 0;
      const count = id === undefined ? 0 : this.#rows.total(id, window.column);
      return { tag, count, rank: rank + 1, ...(error > 0 && { error }), ...this.#accountFields(tag, index) };
    });
  }

  /** The best `n` by trend score (the same order in every window); `count` and `accounts` are the window's. */
  #topByTrend(index: number, n: number): TopEntry[] {
    const trend = this.#trend;
    if (trend === undefined) return [];
    const window = this.#windows[index] as CountWindow;
    return trend.top(n).map(({ tag, observed, expected }, rank) => {
      const id = this.#interner.lookup(tag);
      const error = this.#capacity?.errorOf(window, id) ?? 0;
      const count = id === undefined ? 0 : this.#rows.total(id, window.column);
      return { tag, count, rank: rank + 1, ...(error > 0 && { error }), ...this.#accountFields(tag, index), observed, expected: roundScore(expected) };
    });
  }

  #accountFields(tag: string, index: number): Pick<TopEntry, "accounts" | "accountsError" | "score"> {
    const accounts = this.#accounts;
    if (accounts === undefined) return {};
    const error = accounts.errorOf(tag, index);
    const score = this.#trend?.scoreOf(tag);
    return { accounts: accounts.countOf(tag, index), ...(error > 0 && { accountsError: error }), ...(score !== undefined && { score: roundScore(score) }) };
  }

  #counters(): EngineCounters {
    const counters: EngineCounters = { lines: this.#lines, tags: this.#tags, distinct: this.#capacity?.distinct ?? this.#interner.size, ...(this.#capacity?.distinctEstimated === true && { distinctEstimated: true }) };
    const withAccounts = this.#accounts === undefined ? counters : { ...counters, withAccount: this.#withAccount };
    if (this.#lateness === undefined) return withAccounts;
    const watermark = this.#newestEventTs - this.#lateness;
    return {
      ...withAccounts,
      late: this.#late,
      beforeWindow: this.#beforeWindow,
      future: this.#future,
      ...(Number.isFinite(watermark) && { watermark }),
    };
  }

  #result(epoch: number, at: number): TickResult {
    return {
      epoch,
      at,
      windows: this.#windows.map((w, index) => ({
        window: w.name,
        top: this.#top(index, this.#topN),
        ...(this.#accounts !== undefined && { byAccounts: this.#topByAccounts(index, this.#topN) }),
        ...(this.#trend !== undefined && { byTrend: this.#topByTrend(index, this.#topN) }),
      })),
      counters: this.#counters(),
    };
  }
}

/** Scores travel with two decimals: enough to order and to read, and stable in tests. */
function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}
