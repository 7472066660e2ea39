/** What the intake refused, by reason, and who is connected: the edge's own bookkeeping. */
import type { ConnectionRefusal, DroppedTags, FramingReject, IngestorHello, RejectReason } from "../../../shared/line-protocol.ts";
import type { Source } from "../../../shared/messages.ts";

export type IntakeRejectReason = RejectReason | FramingReject;

/**
 * Why the intake closed a connection: refused (the peer was told), silent for too long, or a line
 * begun and not finished in time.
 */
export type ConnectionCloseReason = ConnectionRefusal | "idle-timeout" | "line-timeout";

/**
 * The refusal counts as plain data (connections are not state: they end with the process, and so
 * do the counts of connections closed). `longTags` is absent from checkpoints made before it.
 */
export interface IntakeStatsState {
  readonly rejected: ReadonlyArray<readonly [IntakeRejectReason, number]>;
  readonly invalidTags: number;
  readonly longTags?: number;
}

export class IntakeStats {
  readonly rejected = new Map<IntakeRejectReason, number>();
  /** Connections the intake closed itself, by reason. */
  readonly closedConnections = new Map<ConnectionCloseReason, number>();
  /** Tags dropped from otherwise valid lines because nothing of them survived normalisation. */
  invalidTags = 0;
  /** Tags dropped from otherwise valid lines because their name is over MAX_TAG_LENGTH. */
  longTags = 0;
  readonly #peers = new Map<object, IngestorHello | undefined>();
  #eventTimeObserver: ((ts: number, now: number) => void) | undefined;

  reject(reason: IntakeRejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  /** Counts a connection the intake closed; returns how many it has closed for that reason. */
  closedConnection(reason: ConnectionCloseReason): number {
    const count = (this.closedConnections.get(reason) ?? 0) + 1;
    this.closedConnections.set(reason, count);
    return count;
  }

  dropped(tags: DroppedTags): void {
    this.invalidTags += tags.invalidTags;
    this.longTags += tags.longTags;
  }

  /** Has `observer` called with each post line's `ts` and arrival time (the event-time lag metric judges them). */
  observeEventTime(observer: (ts: number, now: number) => void): void {
    this.#eventTimeObserver = observer;
  }

  /** A post line carrying its `ts` arrived at `now` (both ms since the epoch). */
  postArrived(ts: number, now: number): void {
    this.#eventTimeObserver?.(ts, now);
  }

  get rejectedTotal(): number {
    let total = 0;
    for (const n of this.rejected.values()) total += n;
    return total;
  }

  exportState(): IntakeStatsState {
    return { rejected: [...this.rejected], invalidTags: this.invalidTags, longTags: this.longTags };
  }

  load(state: IntakeStatsState): void {
    for (const [reason, count] of state.rejected) this.rejected.set(reason, count);
    this.invalidTags = state.invalidTags;
    this.longTags = state.longTags ?? 0;
  }

  connected(peer: object): void {
    this.#peers.set(peer, undefined);
  }

  announced(peer: object, hello: IngestorHello): void {
    this.#peers.set(peer, hello);
  }

  disconnected(peer: object): void {
    this.#peers.delete(peer);
  }

  get connections(): number {
    return this.#peers.size;
  }

  /** "demo" while any connected ingestor streams from the simulated server. */
  get source(): Source {
    for (const hello of this.#peers.values()) if (hello?.source === "demo") return "demo";
    return "live";
  }

  /** Instances the connected ingestors follow, sorted, without repeats. */
  get instances(): string[] {
    const all = new Set<string>();
    for (const hello of this.#peers.values()) for (const instance of hello?.instances ?? []) all.add(instance);
    return [...all].sort();
  }
}
