/**
 * The engine's bound on distinct tags: Space-Saving (space-saving.ts) applied at each tick to the
 * interner's names, the count rows and the windows. Dormant, and free, until the held names first
 * outgrow the capacity; from then on a name first seen in an interval is admitted at the floor, and
 * the smallest all-time estimates leave until the capacity is met again.
 *
 * Once active, the distinct names seen can no longer be counted: a name evicted and seen again is
 * admitted again. They are then estimated by a HyperLogLog sketch (distinct-sketch.ts) of every
 * name held at activation and every name admitted since: one hash per admission, none per
 * occurrence, and a name admitted twice is not counted twice.
 */
import type { BucketLog } from "./bucket-log.ts";
import { DistinctSketch } from "./distinct-sketch.ts";
import type { CountRows } from "./count-rows.ts";
import type { CountWindow } from "./count-window.ts";
import type { Captured } from "./captured-arrays.ts";
import { SlidingWindow } from "./sliding-window.ts";
import { SpaceSaving, type SpaceSavingState } from "./space-saving.ts";
import type { TagInterner } from "./tag-interner.ts";
import type { TopTracker } from "./top-tracker.ts";

export interface TagCapacityState extends SpaceSavingState {
  readonly evictedSinceSweep: number;
  /** The distinct-names sketch's registers; absent from checkpoints made before it. */
  readonly distinctSketch?: Uint8Array;
}

export class TagCapacity {
  readonly #summary: SpaceSaving;
  readonly #interner: TagInterner;
  readonly #rows: CountRows;
  /** The column Space-Saving evicts by: the complete window's, or one of its own. */
  readonly #estimates: number;
  readonly #log: BucketLog | undefined;
  readonly #trackers: readonly TopTracker[];
  #evictedSinceSweep = 0;
  /** Names admitted up to the last tick, once active. */
  #admissions = 0;
  /** Every name seen, once active (see the file comment). */
  #sketch: DistinctSketch | undefined;
  /** The sketch's estimate as of the last admissions. */
  #estimate = 0;

  /** `log`: the buckets the sliding windows hold, if any. */
  constructor(capacity: number, interner: TagInterner, rows: CountRows, estimates: number, log: BucketLog | undefined, trackers: readonly TopTracker[]) {
    this.#summary = new SpaceSaving(capacity);
    this.#interner = interner;
    this.#rows = rows;
    this.#estimates = estimates;
    this.#log = log;
    this.#trackers = trackers;
  }

  /** A name first held in this interval starts at the floor, its error. Runs before the interval is folded in. */
  admit(epoch: number): void {
    const summary = this.#summary;
    if (!summary.active) return;
    const admitted = this.#interner.takeAdmitted();
    this.#admissions += admitted.length;
    const sketch = this.#sketch;
    for (const id of admitted) {
      summary.admit(id, epoch);
      sketch?.add(this.#interner.hashOf(id));
      if (summary.floor > 0) this.#rows.addTotal(id, this.#estimates, summary.floor);
    }
    if (admitted.length > 0) this.#updateEstimate();
  }

  /** Beyond the capacity, the smallest all-time estimates leave. */
  evict(epoch: number): void {
    const summary = this.#summary;
    if (this.#interner.size <= summary.capacity) return;
    if (!summary.active) {
      const held = new Uint32Array(this.#interner.size);
      for (let id = 0, at = 0; id < this.#interner.idLimit; id++) if (this.#interner.holds(id)) held[at++] = id;
      summary.activate(held, this.#rows.view(this.#estimates));
      this.#admissions = held.length;
      // Nothing has left yet: the names held are every name seen so far.
      const sketch = new DistinctSketch();
      for (const id of held) sketch.add(this.#interner.hashOf(id));
      this.#sketch = sketch;
      this.#updateEstimate();
      this.#startTracking();
    }
    const evicted = summary.evict(this.#interner.size - summary.capacity, this.#rows.view(this.#estimates), epoch);
    for (const id of evicted) {
      this.#rows.clearTotals(id);
      for (const tracker of this.#trackers) tracker.forget(id);
      this.#interner.release(id);
    }
    // Held buckets still list evicted ids; once enough have left, drop those entries.
    this.#evictedSinceSweep += evicted.length;
    if (this.#evictedSinceSweep * 2 >= summary.capacity) {
      this.#log?.sweep();
      this.#evictedSinceSweep = 0;
    }
  }

  /**
   * How far `id`'s count in `window` may be from the truth (see CountingEngine.errorsOf); `id`
   * undefined for a tag not held.
   */
  errorOf(window: CountWindow, id: number | undefined): number {
    const summary = this.#summary;
    if (id === undefined) return summary.floor;
    if (window instanceof SlidingWindow && summary.tenureOf(id) <= window.oldestEpoch) return 0;
    return summary.errorOf(id);
  }

  /** First epoch whose counts of `id` belong to the tag it names now. */
  tenureOf(id: number): number {
    return this.#summary.tenureOf(id);
  }

  /**
   * Distinct tags seen: exact while dormant (held names; none ever left), estimated once active
   * (the sketch as of the last tick, and never fewer than the names held now).
   */
  get distinct(): number {
    return this.#summary.active ? Math.max(this.#estimate, this.#interner.size) : this.#interner.size;
  }

  /** True once `distinct` is an estimate. */
  get distinctEstimated(): boolean {
    return this.#summary.active;
  }

  /** Admissions so far and the summary, when active; nothing while dormant. */
  exportState(): { admissions: number; summary?: TagCapacityState } {
    if (!this.#summary.active) return { admissions: 0 };
    return {
      admissions: this.#admissions,
      summary: {
        ...this.#summary.exportState(this.#interner.idLimit),
        evictedSinceSweep: this.#evictedSinceSweep,
        ...(this.#sketch !== undefined && { distinctSketch: this.#sketch.exportState() }),
      },
    };
  }

  /** `exportState` captured (see captured-arrays.ts): the summary changes only at ticks; the sketch (16 KiB) is copied now. */
  capture(): { admissions: number; summary?: Captured<TagCapacityState> } {
    if (!this.#summary.active) return { admissions: 0 };
    return {
      admissions: this.#admissions,
      summary: {
        ...this.#summary.capture(this.#interner.idLimit),
        evictedSinceSweep: this.#evictedSinceSweep,
        ...(this.#sketch !== undefined && { distinctSketch: this.#sketch.exportState() }),
      },
    };
  }

  /** Takes over exported state; call before the interner loads its names. */
  load(admissions: number, state: TagCapacityState | undefined): void {
    if (state === undefined) return;
    this.#summary.load(state);
    this.#evictedSinceSweep = state.evictedSinceSweep;
    this.#admissions = admissions;
    this.#sketch = new DistinctSketch(state.distinctSketch);
    this.#startTracking();
  }

  /**
   * After the interner has loaded its names: a checkpoint from before the sketch existed gets one
   * of the names held, the best that is left of what was seen.
   */
  loaded(state: TagCapacityState | undefined): void {
    const sketch = this.#sketch;
    if (state === undefined || sketch === undefined) return;
    if (state.distinctSketch === undefined) {
      for (let id = 0; id < this.#interner.idLimit; id++) if (this.#interner.holds(id)) sketch.add(this.#interner.hashOf(id));
    }
    this.#updateEstimate();
  }

  #updateEstimate(): void {
    this.#estimate = this.#sketch?.estimate() ?? 0;
  }

  /** From the first eviction on: new names are remembered for admission, and ids can change tag. */
  #startTracking(): void {
    const summary = this.#summary;
    this.#interner.trackAdmissions();
    this.#log?.keepOnly((id, epoch) => summary.current(id, epoch));
  }
}
