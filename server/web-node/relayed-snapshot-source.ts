/**
 * The snapshots a web node serves, relayed from the replicas over NATS: a SnapshotSource holding no
 * counts. It listens to every replica's frames and starts from the latest hello and snapshot kept
 * in the KV bucket, read again after each reconnection to NATS (frames sent meanwhile were not
 * kept); frame-relay.ts decides what is passed on. What a snapshot does not hold is asked of a
 * replica (replica-requests.ts).
 */
import type { KV } from "@nats-io/kv";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { formatDuration } from "../../shared/duration.ts";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import { triggerBoundsProblem, type Hello, type RankBy, type TagCountsResponse, type TopResponse } from "../../shared/messages.ts";
import type { PublishedSnapshot, RelayStatus, SnapshotSource } from "../aggregator/snapshot-source.ts";
import type { Logger } from "../log/logger.ts";
import { clusterSubjects, configReplySchema, FRAME_HEADERS, LATEST_KEYS, tagReplySchema, topReplySchema, type TopRequest } from "../nats/cluster-wire.ts";
import { FrameRelay } from "./frame-relay.ts";
import { replicaRequests } from "./replica-requests.ts";
import { topFromSnapshot } from "./snapshot-top.ts";
import type { WebNodeMetrics } from "./web-node-metrics.ts";

export interface RelayedSnapshotSource extends SnapshotSource {
  /** Resolves once a hello and a snapshot are at hand (from the store or a replica). */
  readonly ready: Promise<void>;
  relay(): RelayStatus;
  /** Stops listening; the connection is the caller's. */
  close(): Promise<void>;
}

export interface RelayOptions {
  readonly connection: NatsConnection;
  readonly latestBucket: KV;
  readonly stream: string;
  readonly metrics: WebNodeMetrics;
  readonly log: Logger;
  /** How long a request waits for a replica's answer (default 2 s). */
  readonly requestTimeoutMs?: number;
}

export function relaySnapshots({ connection, latestBucket, stream, metrics, log, requestTimeoutMs = 2000 }: RelayOptions): RelayedSnapshotSource {
  const subjects = clusterSubjects(stream);
  const frames = new FrameRelay(metrics, log);
  const requests = replicaRequests(connection, requestTimeoutMs, (reason) => metrics.requestFailed(reason));
  let connected = true;

  const readStore = async (): Promise<void> => {
    for (const key of [LATEST_KEYS.hello, LATEST_KEYS.snapshot] as const) {
      try {
        const entry = await latestBucket.get(key);
        if (entry?.operation === "PUT") frames.fromStore(key, entry.string());
      } catch (error) {
        log.warn({ err: (error as Error).message, key }, "cannot read the latest frames' store");
      }
    }
  };

  // Listening first, then reading the store: a frame sent in between is not missed, and the relay
  // drops whichever of the two is older.
  const subscription: Subscription = connection.subscribe(subjects.frames, {
    callback: (error, message) => {
      if (error !== null) return log.warn({ err: error.message }, "frame subscription error");
      frames.fromReplica(message.string(), message.headers?.get(FRAME_HEADERS.epoch), message.headers?.get(FRAME_HEADERS.replica));
    },
  });
  void readStore();
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === "disconnect") connected = false;
      if (status.type === "reconnect") {
        connected = true;
        void readStore();
      }
    }
  })();

  const latest = (): PublishedSnapshot => {
    const current = frames.latest;
    if (current === undefined) throw new Error("no snapshot yet: wait for `ready`");
    return current;
  };
  const hello = (): Hello => {
    const current = frames.hello;
    if (current === undefined) throw new Error("no hello yet: wait for `ready`");
    return current;
  };

  return {
    ready: frames.ready,
    get windows() {
      return hello().windows;
    },
    hello,
    latest,
    subscribe: (listener) => frames.subscribe(listener),
    languages: () => frames.latest?.snapshot.languages ?? [],
    relay: () => ({ connected, replica: frames.origin ?? "kv", epoch: frames.epoch ?? 0 }),
    async top(window: string, n: number, by: RankBy = "posts", lang?: string): Promise<TopResponse | undefined> {
      if (!hello().windows.includes(window)) return undefined;
      const held = lang === undefined ? topFromSnapshot(latest().snapshot, hello().topN, window, n, by) : undefined;
      if (held !== undefined) return held;
      const request: TopRequest = { window, n, by, ...(lang !== undefined && { lang }) };
      return (await requests.ask(subjects.top, request, topReplySchema)) ?? undefined;
    },
    async countsOf(tag: string): Promise<TagCountsResponse> {
      const name = normaliseHashtag(tag);
      // Nothing to ask: the HTTP edge refuses a tag without a valid character.
      if (name === "") return { tag: "", windows: {} };
      return requests.ask(subjects.tagCounts, { tag: name }, tagReplySchema);
    },
    async setTriggerInterval(ms: number): Promise<string | undefined> {
      const bounds = triggerBoundsProblem(ms);
      if (bounds !== undefined) return bounds;
      const reply = await requests.ask(subjects.config, { triggerInterval: formatDuration(ms) }, configReplySchema);
      return reply.accepted ? undefined : reply.problem;
    },
    async close() {
      frames.clear();
      subscription.unsubscribe();
    },
  };
}
