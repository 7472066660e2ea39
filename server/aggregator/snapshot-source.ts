/**
 * What the aggregator offers those who serve its snapshots (the HTTP edge), as an interface: the
 * producer owns the contract, the web layer depends on it and not on the aggregator's internals,
 * and tests (or a node that relays snapshots from elsewhere) can implement it directly.
 */
import type { CheckpointStatus } from "./checkpoint/checkpoint-health.ts";
import type { Hello, RankBy, Snapshot, TagCountsResponse, TopResponse } from "../../shared/messages.ts";

export interface PublishedSnapshot {
  readonly snapshot: Snapshot;
  /** The snapshot serialised once, sent as is to every client. */
  readonly json: string;
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
  top(window: string, n: number, by?: RankBy, lang?: string): TopResponse | undefined;
  /** The languages with tops of their own now (empty when none are kept). */
  languages?(): readonly string[];
  countsOf(tag: string): TagCountsResponse;
  /**
   * Makes the trigger fire every `ms` from the next tick on and sends every client the new
   * `hello`. Returns what is wrong with `ms` ("must be ...") instead when it is refused.
   */
  setTriggerInterval(ms: number): string | undefined;
}
