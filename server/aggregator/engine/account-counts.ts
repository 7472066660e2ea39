/**
 * Distinct accounts per tag in every window: how many different authors used a tag, which a bot
 * repeating one tag cannot inflate. Mastodon's own trends count accounts per tag for the same
 * reason (app/models/trends/tags.rb keeps a set of account ids per tag and day).
 *
 * Exact by construction: each (tag, account) pair keeps the epochs of its counted occurrences (one
 * per tag occurrence of a post, so that edits and deletes take back exactly what they added). A
 * pair counts in a window while its newest occurrence lies in an interval the window holds; since
 * the windows all end now, that is one comparison per window. Three things can change it, and all
 * three go through `#settle`, which recomputes the pair's membership from its occurrences and
 * adjusts the per-tag counts by the difference, so applying it twice is harmless:
 *
 * - a new occurrence (the pair is settled at the tick that closes its interval);
 * - expiry: each closed interval lists the pairs whose newest occurrence it was, and a window that
 *   lets the interval go settles them (a pair seen again since is listed again, later, and stays);
 * - a retraction (edit or delete) that removes the pair's newest occurrence, or its last.
 *
 * A tick therefore costs the pairs touched in the interval plus those expiring, never the history.
 *
 * Memory is bounded by `capacity` pairs. Past it the least recently active pair is forgotten:
 * each window that counted it loses it at once, which makes that tag's account count there an
 * undercount by at most the number of its pairs forgotten while counted (`errorOf`). In a sliding
 * window that error lapses once the forgotten pair's newest occurrence has left the window.
 *
 * Pure: no I/O, no clock; tag names are the engine's normalised names, kept under ids of its own
 * (independent of the post counts' Space-Saving ids, which can change hands), and accounts under
 * ids too, so that a pair is found by two numbers (pair-table.ts) rather than by a string made for
 * each tag of each post.
 */
import { PairTable } from "./pair-table.ts";
import { TopTracker } from "./top-tracker.ts";
import type { CountColumn } from "./count-rows.ts";
import type { Ranked } from "./top-n.ts";

/** One (tag, account) pair. */
interface Pair {
  readonly tag: number;
  /** Own account id (see `NameIds`). */
  readonly acct: number;
  /**
   * Epoch of each counted occurrence, in increasing order; a single one as a number, since most
   * pairs have one, and an array each would be as many objects again to allocate and collect.
   */
  epochs: number | number[];
  /** Bit c set while the pair counts in column c. */
  mask: number;
  /** True while listed in the open interval's touched pairs. */
  touched: boolean;
  /** Baseline slot the pair was last counted in (see trend-scores.ts), -1 if none. */
  slot: number;
  /** Neighbours in the order of activity (least recently active first), for forgetting. */
  older: Pair | undefined;
  newer: Pair | undefined;
}

export interface AccountColumn {
  /** Window length in ms; Infinity for the complete window. */
  readonly lengthMs: number;
}

export interface AccountCountsState {
  /** Per pair: tag, account and its occurrence epochs, least recently active first. */
  readonly pairs: ReadonlyArray<readonly [tag: string, acct: string, epochs: readonly number[], slot: number]>;
  /** Closed intervals still held by some sliding column: epoch and close time. */
  readonly epochs: readonly number[];
  readonly closedAt: readonly number[];
  readonly oldest: readonly number[];
  /** The columns' lengths: a state saved for other columns (another trend window) is not loaded. */
  readonly lengths: readonly number[];
  /** Per tag with a lasting error: its errors and the epoch each lasts until. */
  readonly errors: ReadonlyArray<readonly [tag: string, errors: readonly number[], until: readonly number[]]>;
  readonly forgotten: number;
  /**
   * Per pair, the columns it counts in as of the last tick (a bit a column). A pair added to since
   * then counts there only from the next tick: without the masks (checkpoints from before them) the
   * restore counts it at once.
   */
  readonly masks?: readonly number[];
  /** Retractions (edits, deletions) waiting for the next tick: pair key (tag, newline, account) and epoch. */
  readonly retractions?: ReadonlyArray<readonly [key: string, epoch: number]>;
  /** Keys of the pairs changed since the last tick: the next tick counts them in the baseline's slot. */
  readonly touched?: readonly string[];
}

/** A pair as the saved state names it: tag, newline, account (a normalised tag holds no newline). */
const pairKey = (tag: string, acct: string): string => `${tag}\n${acct}`;

function splitPairKey(key: string): { tag: string; acct: string } {
  const at = key.indexOf("\n");
  return { tag: key.slice(0, at), acct: key.slice(at + 1) };
}

/** No occurrence: shared, and frozen, since nothing adds to it in place (`addEpoch` replaces it). */
const NO_EPOCHS: number[] = Object.freeze([]) as unknown as number[];

/** The pair's newest occurrence's epoch, if any. */
const newestOf = (pair: Pair): number | undefined => (typeof pair.epochs === "number" ? pair.epochs : pair.epochs.at(-1));

const epochsOf = (pair: Pair): number[] => (typeof pair.epochs === "number" ? [pair.epochs] : [...pair.epochs]);

/** Adds an occurrence in `epoch`, in order. */
function addEpoch(pair: Pair, epoch: number): void {
  const epochs = pair.epochs;
  if (typeof epochs === "number") pair.epochs = epochs <= epoch ? [epochs, epoch] : [epoch, epochs];
  else if (epochs.length === 0) pair.epochs = epoch;
  else if ((epochs[epochs.length - 1] as number) <= epoch) epochs.push(epoch);
  else {
    // A post counted in an earlier interval (its event time's) goes before later ones.
    let at = epochs.length;
    while (at > 0 && (epochs[at - 1] as number) > epoch) at--;
    epochs.splice(at, 0, epoch);
  }
}

/** Removes one occurrence in `epoch`; false when there is none. */
function removeEpoch(pair: Pair, epoch: number): boolean {
  const epochs = pair.epochs;
  if (typeof epochs === "number") {
    if (epochs !== epoch) return false;
    pair.epochs = NO_EPOCHS;
    return true;
  }
  const index = epochs.lastIndexOf(epoch);
  if (index === -1) return false;
  epochs.splice(index, 1);
  return true;
}

const hasEpochs = (pair: Pair): boolean => typeof pair.epochs === "number" || pair.epochs.length > 0;

/** Own ids for names (tags, accounts): name -> id, id -> name, pairs per id; ids of names with no pair are reused. */
class NameIds {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  readonly pairs: number[] = [];
  readonly free: number[] = [];

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id !== undefined) return id;
    id = this.free.pop() ?? this.names.length;
    this.ids.set(name, id);
    this.names[id] = name;
    this.pairs[id] = 0;
    return id;
  }

  /** The id names nothing any more and may be given to another name. */
  release(id: number): void {
    this.ids.delete(this.names[id] as string);
    this.free.push(id);
  }
}

/** Most windows (bits of a pair's mask). */
const MAX_COLUMNS = 30;

export class AccountCounts {
  readonly #columns: readonly AccountColumn[];
  /** True when some column is sliding: only those ever let an interval go. */
  readonly #anySliding: boolean;
  readonly #capacity: number;
  /** (tag id, account id) -> pair. */
  readonly #pairs = new PairTable<Pair>();
  /**
   * The pairs in order of activity, as a linked list: a Map's own order would do, but re-inserting
   * moves a key by leaving a hole at its old place, and finding the oldest then skips every hole.
   */
  #oldestPair: Pair | undefined;
  #newestPair: Pair | undefined;
  /** Own tag ids, and own account ids (see `NameIds`). */
  readonly #tags = new NameIds();
  readonly #accts = new NameIds();
  /** counts[id * stride + column]: distinct accounts of tag `id` in each column, as of the last tick. */
  #counts: Float64Array;
  readonly #stride: number;
  readonly #trackers: TopTracker[];
  /** Pairs with an occurrence in the open interval, and pairs a retraction changed. */
  #touched: Pair[] = [];
  #retractions: Array<{ tag: string; acct: string; epoch: number }> = [];
  /** Closed intervals held by some sliding column, oldest first, and the pairs whose newest occurrence each was. */
  #epochs: number[] = [];
  #closedAt: number[] = [];
  #newestIn = new Map<number, Pair[]>();
  /** Per column, the oldest epoch it holds (-Infinity: everything, for the complete window). */
  readonly #oldest: Float64Array;
  /** Undercount per tag id and column from forgotten pairs, and the epoch until which each lasts. */
  #errors = new Map<number, { errors: number[]; until: number[] }>();
  #forgotten = 0;
  #risers: Array<Set<number>>;
  /** Tags with at least `threshold` accounts in column `column` (the trend's candidates), when watched. */
  #watch: { readonly column: number; readonly threshold: number; readonly ids: Set<number> } | undefined;

  constructor(columns: readonly AccountColumn[], capacity: number, topK: number) {
    if (columns.length === 0 || columns.length > MAX_COLUMNS) throw new RangeError(`between 1 and ${MAX_COLUMNS} account columns`);
    if (!(capacity >= 1)) throw new RangeError("account capacity must be at least 1");
    this.#columns = columns;
    this.#anySliding = columns.some((c) => Number.isFinite(c.lengthMs));
    this.#capacity = capacity;
    this.#stride = columns.length;
    this.#counts = new Float64Array(1024 * this.#stride);
    this.#trackers = columns.map(() => new TopTracker(topK));
    this.#oldest = new Float64Array(columns.length).map((_, c) => (Number.isFinite((columns[c] as AccountColumn).lengthMs) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY));
    this.#risers = columns.map(() => new Set<number>());
  }

  /** Keeps the set of tags with at least `threshold` accounts in `column` up to date (see `watched`). */
  watch(column: number, threshold: number): void {
    this.#watch = { column, threshold, ids: new Set() };
  }

  /** The ids of the tags the watch holds now. */
  get watched(): ReadonlySet<number> {
    return this.#watch?.ids ?? new Set();
  }

  /** Pairs held now. */
  get pairs(): number {
    return this.#pairs.size;
  }

  /** Pairs forgotten so far because the capacity was full. */
  get forgotten(): number {
    return this.#forgotten;
  }

  /** Counts `acct` as an author of each of `tags` (occurrences, as counted) in the interval `epoch`. */
  add(tags: readonly string[], acct: string, epoch: number): void {
    // Held by the pairs made below; until then, an id that may be reused by `#forgetOldest`.
    let acctId = this.#accts.ids.get(acct);
    for (const tag of tags) {
      let tagId = this.#tags.ids.get(tag);
      let pair = tagId === undefined || acctId === undefined ? undefined : this.#pairs.get(tagId, acctId);
      if (pair === undefined) {
        if (this.#pairs.size >= this.#capacity) this.#forgetOldest();
        // Forgetting may have released either id: take them again.
        acctId = this.#accts.idOf(acct);
        tagId = this.#tags.idOf(tag);
        pair = { tag: tagId, acct: acctId, epochs: NO_EPOCHS, mask: 0, touched: false, slot: -1, older: undefined, newer: undefined };
        this.#tags.pairs[tagId] = (this.#tags.pairs[tagId] ?? 0) + 1;
        this.#accts.pairs[acctId] = (this.#accts.pairs[acctId] ?? 0) + 1;
        this.#pairs.add(tagId, acctId, pair);
      } else {
        this.#unlink(pair);
      }
      this.#append(pair);
      addEpoch(pair, epoch);
      this.#touch(pair);
    }
  }

  /** Takes back one occurrence of each of `tags` by `acct`, counted in interval `epoch`; applied at the next tick. */
  retract(tags: readonly string[], acct: string, epoch: number): void {
    for (const tag of tags) this.#retractions.push({ tag, acct, epoch });
  }

  /**
   * Closes the interval `epoch` at `now`: applies retractions, counts the pairs it touched, lets
   * every sliding column drop what left it, and brings each column's top up to date. `onSettled`
   * sees every pair touched in the interval (the baseline slots count them).
   */
  tick(epoch: number, now: number, onTouched?: (tag: number, pair: { slot: number }) => void): void {
    for (const { tag, acct, epoch: at } of this.#retractions) {
      const pair = this.#pairNamed(tag, acct);
      if (pair === undefined) continue;
      if (removeEpoch(pair, at)) this.#touch(pair);
    }
    this.#retractions = [];
    this.#epochs.push(epoch);
    this.#closedAt.push(now);
    const expiring: number[] = [];
    this.#columns.forEach((column, c) => {
      if (!Number.isFinite(column.lengthMs)) return;
      const from = this.#oldest[c] as number;
      const to = this.#firstHeldAfter(now - column.lengthMs);
      this.#oldest[c] = to;
      if (to > from) for (let i = this.#epochs.length - 1; i >= 0 && (this.#epochs[i] as number) >= from; i--) if ((this.#epochs[i] as number) < to) expiring.push(this.#epochs[i] as number);
    });
    const touched = this.#touched;
    this.#touched = [];
    for (const pair of touched) {
      pair.touched = false;
      const newest = newestOf(pair);
      if (newest !== undefined) this.#listNewest(pair, newest);
      this.#settle(pair);
      if (onTouched !== undefined && newest === epoch) onTouched(pair.tag, pair);
    }
    for (const e of new Set(expiring)) for (const pair of this.#newestIn.get(e) ?? []) this.#settle(pair);
    this.#dropUnheld();
    this.#trackers.forEach((tracker, c) => {
      const risers = this.#risers[c] as Set<number>;
      tracker.update(this.view(c), [...risers], this.#tags.names.length, this.#byName);
      risers.clear();
    });
  }

  /** Column `c` as the top selection reads it. */
  view(c: number): CountColumn {
    return { values: this.#counts, stride: this.#stride, offset: c };
  }

  /** The tag's distinct accounts in column `c` as of the last tick. */
  countOf(tag: string, c: number): number {
    const id = this.#tags.ids.get(tag);
    return id === undefined ? 0 : ((this.#counts[id * this.#stride + c] as number) ?? 0);
  }

  /** How far the tag's account count in column `c` may be below the truth (0 while exact). */
  errorOf(tag: string, c: number): number {
    const id = this.#tags.ids.get(tag);
    const entry = id === undefined ? undefined : this.#errors.get(id);
    if (entry === undefined) return 0;
    return (entry.until[c] as number) >= (this.#oldest[c] as number) ? (entry.errors[c] as number) : 0;
  }

  /** The best `n` tags of column `c` by distinct accounts, best first (ties by name). */
  top(c: number, n: number): Array<{ tag: string; accounts: number }> {
    const tracker = this.#trackers[c] as TopTracker;
    return tracker.topOrScan(this.view(c), n, this.#tags.names.length, this.#byName).map((r: Ranked) => ({ tag: this.#tags.names[r.id] as string, accounts: r.count }));
  }

  /** Tag name of an own id (for trend-scores.ts). */
  nameOf(id: number): string {
    return this.#tags.names[id] as string;
  }

  idOf(tag: string): number | undefined {
    return this.#tags.ids.get(tag);
  }

  /** True while `id` names a tag (it is reused once its last pair is gone). */
  holdsId(id: number): boolean {
    return (this.#tags.pairs[id] ?? 0) > 0;
  }

  exportState(): AccountCountsState {
    const ordered: Pair[] = [];
    for (let pair = this.#oldestPair; pair !== undefined; pair = pair.newer) ordered.push(pair);
    const pairs = ordered.map((p) => [this.#tags.names[p.tag] as string, this.#accts.names[p.acct] as string, epochsOf(p), p.slot] as const);
    const errors = [...this.#errors].map(([id, e]) => [this.#tags.names[id] as string, [...e.errors], [...e.until]] as const);
    return {
      pairs,
      epochs: [...this.#epochs],
      closedAt: [...this.#closedAt],
      oldest: Array.from(this.#oldest),
      lengths: this.#columns.map((c) => c.lengthMs),
      errors,
      forgotten: this.#forgotten,
      masks: ordered.map((p) => p.mask),
      retractions: this.#retractions.map(({ tag, acct, epoch }) => [pairKey(tag, acct), epoch] as const),
      touched: this.#touched.map((pair) => pairKey(this.#tags.names[pair.tag] as string, this.#accts.names[pair.acct] as string)),
    };
  }

  /**
   * Takes back an exported state into this fresh instance. A state saved for other columns (the
   * trend window changed) is left out: the account counts then start afresh, the posts' do not.
   */
  load(state: AccountCountsState): void {
    if (state.lengths.length !== this.#columns.length || state.lengths.some((length, c) => length !== this.#columns[c]?.lengthMs)) return;
    this.#epochs = [...state.epochs];
    this.#closedAt = [...state.closedAt];
    state.oldest.forEach((o, c) => (this.#oldest[c] = o));
    const masks = state.masks?.length === state.pairs.length ? state.masks : undefined;
    state.pairs.forEach(([tag, acct, epochs, slot], index) => {
      const pair: Pair = { tag: this.#tags.idOf(tag), acct: this.#accts.idOf(acct), epochs: epochs.length === 1 ? (epochs[0] as number) : [...epochs], mask: 0, touched: false, slot, older: undefined, newer: undefined };
      this.#tags.pairs[pair.tag] = (this.#tags.pairs[pair.tag] ?? 0) + 1;
      this.#accts.pairs[pair.acct] = (this.#accts.pairs[pair.acct] ?? 0) + 1;
      this.#pairs.add(pair.tag, pair.acct, pair);
      this.#append(pair);
      const newest = newestOf(pair);
      if (newest !== undefined) this.#listNewest(pair, newest);
      const mask = masks?.[index];
      if (mask === undefined) this.#settle(pair);
      else {
        // Counted where it counted at the last tick; the next tick settles it as it would have.
        pair.mask = mask;
        for (let c = 0; c < this.#stride; c++) if ((mask & (1 << c)) !== 0) this.#addCount(pair.tag, c, 1);
      }
    });
    for (const [tag, errors, until] of state.errors) this.#errors.set(this.#tags.idOf(tag), { errors: [...errors], until: [...until] });
    this.#forgotten = state.forgotten;
    this.#retractions = (state.retractions ?? []).map(([key, epoch]) => ({ ...splitPairKey(key), epoch }));
    for (const key of state.touched ?? []) {
      const { tag, acct } = splitPairKey(key);
      const pair = this.#pairNamed(tag, acct);
      if (pair !== undefined) this.#touch(pair);
    }
    for (const tracker of this.#trackers) tracker.invalidate();
    this.#trackers.forEach((tracker, c) => {
      tracker.update(this.view(c), [], this.#tags.names.length, this.#byName);
      this.#risers[c]?.clear();
    });
  }

  readonly #byName = (a: number, b: number): number => {
    const x = this.#tags.names[a] as string;
    const y = this.#tags.names[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  };

  #touch(pair: Pair): void {
    if (pair.touched) return;
    pair.touched = true;
    this.#touched.push(pair);
  }

  #listNewest(pair: Pair, epoch: number): void {
    // Only sliding columns ever let an interval go; with none, nothing needs listing.
    if (!this.#anySliding) return;
    // An interval already forgotten (a post counted in an old event-time interval) expires nowhere.
    if (this.#epochs.length === 0 || epoch < (this.#epochs[0] as number)) return;
    const list = this.#newestIn.get(epoch);
    if (list === undefined) this.#newestIn.set(epoch, [pair]);
    else list.push(pair);
  }

  /** Brings the pair's membership in every column in line with its occurrences. */
  #settle(pair: Pair): void {
    const newest = newestOf(pair) ?? Number.NEGATIVE_INFINITY;
    for (let c = 0; c < this.#stride; c++) {
      const want = newest >= (this.#oldest[c] as number) && newest !== Number.NEGATIVE_INFINITY;
      const has = (pair.mask & (1 << c)) !== 0;
      if (want === has) continue;
      pair.mask ^= 1 << c;
      this.#addCount(pair.tag, c, want ? 1 : -1);
    }
    if (!hasEpochs(pair) && !pair.touched) this.#remove(pair);
  }

  #addCount(id: number, c: number, delta: number): void {
    const at = id * this.#stride + c;
    if (at >= this.#counts.length) {
      const grown = new Float64Array(Math.max(this.#counts.length * 2, (id + 1) * this.#stride));
      grown.set(this.#counts);
      this.#counts = grown;
    }
    const total = (this.#counts[at] as number) + delta;
    this.#counts[at] = total;
    if (delta > 0 && total > this.#trackers[c]!.floor) this.#risers[c]?.add(id);
    // With a threshold of 1 or more (as configured) the watch holds exactly the ids at or above it
    // (counts start at 0, below it): it changes only when a count crosses the threshold.
    const watch = this.#watch;
    if (watch !== undefined && watch.column === c && (watch.threshold <= 0 || total >= watch.threshold !== total - delta >= watch.threshold)) {
      if (total >= watch.threshold) watch.ids.add(id);
      else watch.ids.delete(id);
    }
  }

  #append(pair: Pair): void {
    pair.older = this.#newestPair;
    pair.newer = undefined;
    if (this.#newestPair !== undefined) this.#newestPair.newer = pair;
    else this.#oldestPair = pair;
    this.#newestPair = pair;
  }

  #unlink(pair: Pair): void {
    if (pair.older !== undefined) pair.older.newer = pair.newer;
    else if (this.#oldestPair === pair) this.#oldestPair = pair.newer;
    if (pair.newer !== undefined) pair.newer.older = pair.older;
    else if (this.#newestPair === pair) this.#newestPair = pair.older;
    pair.older = undefined;
    pair.newer = undefined;
  }

  #remove(pair: Pair): void {
    if (this.#pairs.get(pair.tag, pair.acct) !== pair) return;
    this.#pairs.delete(pair.tag, pair.acct);
    this.#unlink(pair);
    const left = (this.#tags.pairs[pair.tag] as number) - 1;
    this.#tags.pairs[pair.tag] = left;
    if (left === 0) this.#release(pair.tag);
    const acctLeft = (this.#accts.pairs[pair.acct] as number) - 1;
    this.#accts.pairs[pair.acct] = acctLeft;
    if (acctLeft === 0) this.#accts.release(pair.acct);
  }

  /** The pair of a tag and an account by name, when held. */
  #pairNamed(tag: string, acct: string): Pair | undefined {
    const tagId = this.#tags.ids.get(tag);
    const acctId = this.#accts.ids.get(acct);
    return tagId === undefined || acctId === undefined ? undefined : this.#pairs.get(tagId, acctId);
  }


  /** Forgets the least recently active pair to make room: its windows lose it, the tag's error grows. */
  #forgetOldest(): void {
    const oldest = this.#oldestPair;
    // Every held pair is active in the open interval: grow past the capacity until the tick.
    if (oldest === undefined || oldest.touched) return;
    const newest = newestOf(oldest) ?? Number.NEGATIVE_INFINITY;
    if (oldest.mask !== 0) {
      const entry = this.#errors.get(oldest.tag) ?? { errors: new Array<number>(this.#stride).fill(0), until: new Array<number>(this.#stride).fill(Number.NEGATIVE_INFINITY) };
      for (let c = 0; c < this.#stride; c++) {
        if ((oldest.mask & (1 << c)) === 0) continue;
        entry.errors[c] = (entry.errors[c] as number) + 1;
        entry.until[c] = Number.isFinite(this.#columns[c]?.lengthMs) ? Math.max(entry.until[c] as number, newest) : Number.POSITIVE_INFINITY;
        this.#addCount(oldest.tag, c, -1);
      }
      this.#errors.set(oldest.tag, entry);
    }
    oldest.mask = 0;
    oldest.epochs = NO_EPOCHS;
    this.#forgotten++;
    this.#remove(oldest);
  }


  /** A tag with no pair left: its id may name another tag, unless an error still lasts for it. */
  #release(id: number): void {
    const entry = this.#errors.get(id);
    if (entry !== undefined && entry.until.some((until, c) => until >= (this.#oldest[c] as number))) return;
    this.#errors.delete(id);
    for (let c = 0; c < this.#stride; c++) this.#counts[id * this.#stride + c] = 0;
    for (const tracker of this.#trackers) tracker.forget(id);
    this.#tags.release(id);
  }

  /** The first held epoch closed after `horizon` (Infinity if none). */
  #firstHeldAfter(horizon: number): number {
    // Close times are increasing: binary search.
    let lo = 0;
    let hi = this.#closedAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#closedAt[mid] as number) > horizon) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.#epochs.length ? (this.#epochs[lo] as number) : Number.POSITIVE_INFINITY;
  }

  /** Forgets intervals no sliding column holds any more, and pairs that count nowhere and can never count again. */
  #dropUnheld(): void {
    let lowest = Number.POSITIVE_INFINITY;
    this.#columns.forEach((column, c) => {
      if (Number.isFinite(column.lengthMs)) lowest = Math.min(lowest, this.#oldest[c] as number);
    });
    let drop = 0;
    while (drop < this.#epochs.length && (this.#epochs[drop] as number) < lowest) {
      const e = this.#epochs[drop] as number;
      const pairs = this.#newestIn.get(e) ?? [];
      this.#newestIn.delete(e);
      // Without a complete column a pair out of every window is of no further use: only a
      // retraction could touch it, and it would change nothing.
      const complete = this.#columns.some((column) => !Number.isFinite(column.lengthMs));
      if (!complete) for (const pair of pairs) if (pair.mask === 0 && !pair.touched && (newestOf(pair) ?? -1) <= e) this.#remove(pair);
      drop++;
    }
    if (drop > 0) {
      this.#epochs.splice(0, drop);
      this.#closedAt.splice(0, drop);
    }
  }
}
