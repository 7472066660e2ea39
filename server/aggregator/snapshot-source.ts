/**
 * What the aggregator offers those who serve its snapshots (the HTTP edge), as an interface: the
 * producer owns the contract, the web layer depends on it and not on the aggregator's internals,
 * and tests (or a node that relays snapshots from elsewhere) can implement it directly.
 *
 * Frames and the latest snapshot are at hand in every implementation. Counts beyond the snapshot
 * and run-time settings may have to be asked of another process (a web node asks a replica over
 * NATS), so those answers may be promises; the aggregator answers them at once.
 */
import type { CheckpointStatus } from "./checkpoint/checkpoint-health.ts";
import type { Hello, RankBy, Snapshot, TagCountsResponse, TopResponse } from "../../shared/messages.ts";

export interface PublishedSnapshot {
  readonly snapshot: Snapshot;
  /** The snapshot serialised once, sent as is to every client. */
  readonly json: string;
}

/** An answer given at once, or later by another process. */
export type Answer<T> = T | Promise<T>;

/** Why an answer that had to be asked of another process did not come: the HTTP edge replies 503. */
export class SourceUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SourceUnavailableError";
  }
}

/** A replica's place in the stream (cluster mode), for `/healthz`. */
export interface ClusterStatus {
  readonly stream: string;
  /** Who this replica is on the frames it sends. */
  readonly replica: string;
  /** The last stream sequence applied. */
  readonly lastSeq: number;
  /** Messages in the stream not applied yet. */
  readonly lag: number;
  /** Still applying what the stream held when the replica started. */
  readonly replaying: boolean;
  /** Messages applied that were in the stream when the replica started. */
  readonly replayed: number;
  readonly epochsClosed: { readonly byMarker: number; readonly byMessage: number };
}

export interface SnapshotSource {
  readonly windows: readonly string[];
  hello(): Hello;
  latest(): PublishedSnapshot;
  /** Whether checkpoints are being written; undefined when the aggregator keeps none. */
  checkpoint?(): CheckpointStatus | undefined;
  /** Where a replica is in the stream; absent outside cluster mode. */
  cluster?(): ClusterStatus | undefined;
  /**
   * Calls `listener` with every frame all clients must get, serialised once: the snapshot after
   * every tick, and a fresh `hello` whenever a setting changes. Returns the unsubscribe function.
   */
  subscribe(listener: (frame: string) => void): () => void;
  /**
   * The top `n` of a window as of the last tick, ranked `by` posts (default), accounts or trend; of
   * the posts in `lang` only when given (by posts). Undefined for an unknown window or a language not kept.
   */
  top(window: string, n: number, by?: RankBy, lang?: string): Answer<TopResponse | undefined>;
  /** The languages with tops of their own now (empty when none are kept). */
  languages?(): readonly string[];
  countsOf(tag: string): Answer<TagCountsResponse>;
  /**
   * Makes the trigger fire every `ms` from the next tick on and sends every client the new
   * `hello`. Returns what is wrong with `ms` ("must be ...") instead when it is refused.
   */
  setTriggerInterval(ms: number): Answer<string | undefined>;
  /** Where the snapshots come from, when they are relayed from elsewhere (a web node): for `/healthz`. */
  relay?(): RelayStatus;
}

/** What a node relaying snapshots reports about their origin. */
export interface RelayStatus {
  /** False while the node has lost its connection to the snapshots' source. */
  readonly connected: boolean;
  /** The replica that sent the first copy of the snapshot served now ("kv" when read from the store). */
  readonly replica: string;
  readonly epoch: number;
}

/** The aggregator's side of the contract: every answer at once, from its own counts. */
export interface ImmediateSnapshotSource extends SnapshotSource {
  top(window: string, n: number, by?: RankBy, lang?: string): TopResponse | undefined;
  countsOf(tag: string): TagCountsResponse;
  setTriggerInterval(ms: number): string | undefined;
}
