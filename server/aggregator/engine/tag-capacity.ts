/**
 * The engine's bound on distinct tags: Space-Saving (space-saving.ts) applied at each tick to the
 * interner's names, the count rows and the windows. Dormant, and free, until the held names first
 * outgrow the capacity; from then on a name first seen in an interval is admitted at the floor, and
 * the smallest all-time estimates leave until the capacity is met again.
 */
import type { BucketLog } from "./bucket-log.ts";
import type { CountRows } from "./count-rows.ts";
import type { CountWindow } from "./count-window.ts";
import type { Captured } from "./captured-arrays.ts";
import { SlidingWindow } from "./sliding-window.ts";
import { SpaceSaving, type SpaceSavingState } from "./space-saving.ts";
import type { TagInterner } from "./tag-interner.ts";
import type { TopTracker } from "./top-tracker.ts";

export interface TagCapacityState extends SpaceSavingState {
  readonly evictedSinceSweep: number;
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
    for (const id of admitted) {
      summary.admit(id, epoch);
      if (summary.floor > 0) this.#rows.addTotal(id, this.#estimates, summary.floor);
    }
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

  /** Distinct tags seen: held names while dormant (none ever left), names admitted once active. */
  get distinct(): number {
    return this.#summary.active ? this.#admissions + this.#interner.pendingAdmissions : this.#interner.size;
  }

  /** Admissions so far and the summary, when active; nothing while dormant. */
  exportState(): { admissions: number; summary?: TagCapacityState } {
    if (!this.#summary.active) return { admissions: 0 };
    return { admissions: this.#admissions, summary: { ...this.#summary.exportState(this.#interner.idLimit), evictedSinceSweep: this.#evictedSinceSweep } };
  }

  /** `exportState` captured (see captured-arrays.ts): the summary changes only at ticks. */
  capture(): { admissions: number; summary?: Captured<TagCapacityState> } {
    if (!this.#summary.active) return { admissions: 0 };
    return { admissions: this.#admissions, summary: { ...this.#summary.capture(this.#interner.idLimit), evictedSinceSweep: this.#evictedSinceSweep } };
  }

  /** Takes over exported state; call before the interner loads its names. */
  load(admissions: number, state: TagCapacityState | undefined): void {
    if (state === undefined) return;
    this.#summary.load(state);
    this.#evictedSinceSweep = state.evictedSinceSweep;
    this.#admissions = admissions;
    this.#startTracking();
  }

  /** From the first eviction on: new names are remembered for admission, and ids can change tag. */
  #startTracking(): void {
    const summary = this.#summary;
    this.#interner.trackAdmissions();
    this.#log?.keepOnly((id, epoch) => summary.current(id, epoch));
  }
}
