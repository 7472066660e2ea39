/**
 * The snapshots a web node serves, relayed from the replicas over NATS: a SnapshotSource holding no
 * counts. It listens to every replica's frames, serves the first copy of each epoch (first-copy.ts),
 * and starts from the latest hello and snapshot kept in the KV bucket, read again after each
 * reconnection to NATS (frames sent meanwhile were not kept). What a snapshot does not hold is
 * asked of a replica (replica-requests.ts).
 *
 * Every frame and stored value is validated with the wire's schemas; one that fails is counted
 * and dropped.
 */
import type { KV } from "@nats-io/kv";
import type { MsgHdrs, NatsConnection, Subscription } from "@nats-io/transport-node";
import { formatDuration } from "../../shared/duration.ts";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import {
  parseServerMessage,
  triggerBoundsProblem,
  type Hello,
  type RankBy,
  type ServerMessage,
  type Snapshot,
  type TagCountsResponse,
  type TopResponse,
} from "../../shared/messages.ts";
import type { PublishedSnapshot, RelayStatus, SnapshotSource } from "../aggregator/snapshot-source.ts";
import type { Logger } from "../log/logger.ts";
import {
  clusterSubjects,
  configReplySchema,
  FRAME_HEADERS,
  LATEST_KEYS,
  tagReplySchema,
  topReplySchema,
  type TopRequest,
} from "../nats/cluster-wire.ts";
import { FirstSnapshotGate, NewestHelloGate, type FrameOrigin } from "./first-copy.ts";
import { replicaRequests } from "./replica-requests.ts";
import type { WebNodeMetrics } from "./web-node-metrics.ts";
import { topFromSnapshot } from "./snapshot-top.ts";

export interface RelayedSnapshotSource extends SnapshotSource {
  /** Resolves once a hello and a snapshot are at hand (from the store or a replica). */
  readonly ready: Promise<void>;
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

const EPOCH_HEADER = /^\d{1,15}$/;

export function relaySnapshots({ connection, latestBucket, stream, metrics, log, requestTimeoutMs = 2000 }: RelayOptions): RelayedSnapshotSource {
  const subjects = clusterSubjects(stream);
  const snapshots = new FirstSnapshotGate();
  const hellos = new NewestHelloGate();
  const listeners = new Set<(frame: string) => void>();
  const requests = replicaRequests(connection, requestTimeoutMs, (reason) => metrics.requestFailed(reason));
  let latest: PublishedSnapshot | undefined;
  let connected = true;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const broadcast = (frame: string): void => {
    for (const listener of listeners) listener(frame);
  };

  const take = (message: ServerMessage, epoch: number | undefined, origin: FrameOrigin): void => {
    if (message.type === "hello") {
      const verdict = hellos.offer(message, epoch);
      if (verdict !== "first") return metrics.frameIgnored(verdict);
      metrics.helloServed();
      broadcast(JSON.stringify(message));
    } else {
      const { verdict, failover } = snapshots.offer(message.epoch, origin);
      if (verdict !== "first") return metrics.frameIgnored(verdict);
      if (failover) log.info({ epoch: message.epoch, replica: origin }, "snapshots now come first from another replica");
      metrics.epochServed(failover);
      const json = JSON.stringify(message);
      latest = { snapshot: message, json };
      broadcast(json);
    }
    if (latest !== undefined && hellos.hello !== undefined) markReady();
  };

  const onFrame = (text: string, headers: MsgHdrs | undefined): void => {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      metrics.invalid("frame");
      log.debug({ error: parsed.error }, "invalid frame from NATS dropped");
      return;
    }
    const epochText = headers?.get(FRAME_HEADERS.epoch) ?? "";
    const epoch = EPOCH_HEADER.test(epochText) ? Number(epochText) : undefined;
    if (epoch === undefined || (parsed.value.type === "snapshot" && parsed.value.epoch !== epoch)) {
      metrics.invalid("epoch-header");
      log.debug({ epochText }, `frame without a valid ${FRAME_HEADERS.epoch} header dropped`);
      return;
    }
    take(parsed.value, epoch, headers?.get(FRAME_HEADERS.replica) || "unnamed");
  };

  const readStore = async (): Promise<void> => {
    for (const key of [LATEST_KEYS.hello, LATEST_KEYS.snapshot] as const) {
      let text: string | undefined;
      try {
        const entry = await latestBucket.get(key);
        text = entry?.operation === "PUT" ? entry.string() : undefined;
      } catch (error) {
        log.warn({ err: (error as Error).message, key }, "cannot read the latest frames' store");
        continue;
      }
      if (text === undefined) continue;
      const parsed = parseServerMessage(text);
      if (!parsed.ok || parsed.value.type !== key) {
        metrics.invalid("store");
        log.warn({ key }, "invalid value in the latest frames' store ignored");
        continue;
      }
      take(parsed.value, undefined, undefined);
    }
  };

  // Listening first, then reading the store: a frame sent in between is not missed, and the gate
  // drops whichever of the two is older.
  const subscription: Subscription = connection.subscribe(subjects.frames, {
    callback: (error, message) => {
      if (error !== null) return log.warn({ err: error.message }, "frame subscription error");
      onFrame(message.string(), message.headers);
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

  const current = (): PublishedSnapshot => {
    if (latest === undefined) throw new Error("no snapshot yet: wait for `ready`");
    return latest;
  };
  const currentHello = (): Hello => {
    const hello = hellos.hello;
    if (hello === undefined) throw new Error("no hello yet: wait for `ready`");
    return hello;
  };

  return {
    ready,
    get windows() {
      return currentHello().windows;
    },
    hello: currentHello,
    latest: current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    languages: () => latest?.snapshot.languages ?? [],
    relay(): RelayStatus {
      return { connected, replica: snapshots.origin ?? "kv", epoch: snapshots.epoch ?? 0 };
    },
    async top(window: string, n: number, by: RankBy = "posts", lang?: string): Promise<TopResponse | undefined> {
      if (!currentHello().windows.includes(window)) return undefined;
      const snapshot: Snapshot = current().snapshot;
      const held = lang === undefined ? topFromSnapshot(snapshot, currentHello().topN, window, n, by) : undefined;
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
      listeners.clear();
      subscription.unsubscribe();
    },
  };
}
