/**
 * What the HTTP edge needs from the aggregator, as an interface: the web layer depends on this
 * contract, not on the aggregator's internals, and tests can feed it directly.
 */
import type { Hello, Snapshot, TagCountsResponse, TopResponse } from "../../shared/messages.ts";

export interface PublishedSnapshot {
  readonly snapshot: Snapshot;
  /** The snapshot serialised once, sent as is to every client. */
  readonly json: string;
}

export interface SnapshotFeed {
  readonly windows: readonly string[];
  hello(): Hello;
  latest(): PublishedSnapshot;
  /** Calls `listener` after every tick; returns the unsubscribe function. */
  subscribe(listener: (published: PublishedSnapshot) => void): () => void;
  /** The top `n` of a window as of the last tick, or undefined for an unknown window. */
  top(window: string, n: number): TopResponse | undefined;
  countsOf(tag: string): TagCountsResponse;
}
