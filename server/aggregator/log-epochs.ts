/**
 * Epochs decided by the log, not by a clock: in cluster mode every replica reads the same stream
 * and must close the same epochs at the same messages, so that their snapshots agree and a replay
 * makes the same state (docs: SCALEOUT design, "Epochs from the log").
 *
 * The open epoch is [start, start + T). The first message whose stream timestamp is at or past its
 * end closes it (a tick at the end, before the message is applied). Empty epochs between are ticked
 * one by one at their ends, at most K of them (K = longest sliding window / T, at least 1: enough for
 * every sliding window to have let go of what it held); past that, one tick at the last boundary
 * before the message. A message stamped before the open epoch's start (a stream leader with a
 * slower clock) counts in the open epoch, at its start. A trigger change read from the log takes
 * effect at the next boundary, so the epoch that is open keeps its length.
 *
 * Pure: the caller passes every time in. `markerDue` is the only thing that looks at a wall clock's
 * reading, and it only says which `epoch-end` marker to publish; what the marker does is decided
 * when it comes back through the log, like any other message.
 */

export interface LogEpochState {
  /** Start of the open epoch (log time, ms since the epoch); undefined before the first message. */
  readonly start: number | undefined;
  /** The open epoch's length. */
  readonly triggerMs: number;
  /** A trigger interval read from the log, in force from the open epoch's end. */
  readonly nextTriggerMs: number | undefined;
}

/** What to do, in order, before the message is applied. */
export type EpochStep = { readonly kind: "tick"; readonly at: number } | { readonly kind: "trigger"; readonly ms: number };

export interface Arrival {
  readonly steps: readonly EpochStep[];
  /** The time the message counts at: its timestamp, or the open epoch's start when it is older. */
  readonly now: number;
}

export interface LogEpochOptions {
  readonly triggerMs: number;
  /** The longest sliding window (ms); undefined when there is none (K is then 1). */
  readonly longestWindowMs: number | undefined;
}

export class LogEpochs {
  readonly #longestWindowMs: number | undefined;
  #start: number | undefined;
  #triggerMs: number;
  #nextTriggerMs: number | undefined;

  constructor(options: LogEpochOptions, saved?: LogEpochState) {
    this.#longestWindowMs = options.longestWindowMs;
    this.#start = saved?.start;
    this.#triggerMs = saved?.triggerMs ?? options.triggerMs;
    this.#nextTriggerMs = saved?.nextTriggerMs;
  }

  /** Empty epochs ticked one by one before the rest are skipped in one tick. */
  get maxEmptyTicks(): number {
    return this.#longestWindowMs === undefined ? 1 : Math.max(1, Math.floor(this.#longestWindowMs / this.#triggerMs));
  }

  get triggerMs(): number {
    return this.#triggerMs;
  }

  /** The open epoch, or undefined before the first message. */
  get open(): { readonly start: number; readonly end: number } | undefined {
    return this.#start === undefined ? undefined : { start: this.#start, end: this.#start + this.#triggerMs };
  }

  /** A message stamped `ts` (ms) is next in the log: the ticks to run before applying it. */
  arrive(ts: number): Arrival {
    if (this.#start === undefined) {
      this.#start = Math.floor(ts / this.#triggerMs) * this.#triggerMs;
      return { steps: [], now: ts };
    }
    const end = this.#start + this.#triggerMs;
    if (ts < end) return { steps: [], now: Math.max(ts, this.#start) };
    // A trigger change comes first: the snapshot of the tick at the boundary already shows the
    // interval in force after it, as a replica restored at that point shows it.
    const steps: EpochStep[] = [];
    if (this.#nextTriggerMs !== undefined) {
      this.#triggerMs = this.#nextTriggerMs;
      this.#nextTriggerMs = undefined;
      steps.push({ kind: "trigger", ms: this.#triggerMs });
    }
    steps.push({ kind: "tick", at: end });
    const t = this.#triggerMs;
    const empty = Math.floor((ts - end) / t);
    const oneByOne = Math.min(empty, this.maxEmptyTicks);
    for (let i = 1; i <= oneByOne; i++) steps.push({ kind: "tick", at: end + i * t });
    if (empty > oneByOne) steps.push({ kind: "tick", at: end + empty * t });
    this.#start = end + empty * t;
    return { steps, now: ts };
  }

  /**
   * A `trigger` control message was applied: epochs after the open one last `ms`. Of several before
   * one boundary, the last wins; one that asks for what is in force cancels an earlier one.
   */
  changeTrigger(ms: number): void {
    this.#nextTriggerMs = ms === this.#triggerMs ? undefined : ms;
  }

  /**
   * The `at` of the `epoch-end` marker to publish when the wall clock reads `wallNow`: the open
   * epoch's end once `wallNow` is past it by `graceMs`, else undefined.
   */
  markerDue(wallNow: number, graceMs: number): number | undefined {
    const open = this.open;
    return open !== undefined && wallNow >= open.end + graceMs ? open.end : undefined;
  }

  state(): LogEpochState {
    return { start: this.#start, triggerMs: this.#triggerMs, nextTriggerMs: this.#nextTriggerMs };
  }
}
