/**
 * What a web node does with the frames it receives, apart from how they arrive: validates each
 * against the wire's schemas and the epoch header, keeps the first copy of each epoch and the
 * newest hello (first-copy.ts), and passes on to its listeners exactly those. Frames come from the
 * replicas (with their headers) or from the KV store (a node starting or reconnecting); whatever
 * fails validation is counted and dropped.
 */
import { parseServerMessage, type Hello, type ServerMessage } from "../../shared/messages.ts";
import type { PublishedSnapshot } from "../aggregator/snapshot-source.ts";
import type { Logger } from "../log/logger.ts";
import { LATEST_KEYS } from "../nats/cluster-wire.ts";
import { FirstSnapshotGate, NewestHelloGate, type FrameOrigin } from "./first-copy.ts";
import type { WebNodeMetrics } from "./web-node-metrics.ts";

const EPOCH_HEADER = /^\d{1,15}$/;

export type RelayMetrics = Pick<WebNodeMetrics, "epochServed" | "helloServed" | "frameIgnored" | "invalid">;

export class FrameRelay {
  /** Resolves once a hello and a snapshot are at hand. */
  readonly ready: Promise<void>;
  readonly #snapshots = new FirstSnapshotGate();
  readonly #hellos = new NewestHelloGate();
  readonly #listeners = new Set<(frame: string) => void>();
  readonly #metrics: RelayMetrics;
  readonly #log: Logger;
  #latest: PublishedSnapshot | undefined;
  #markReady: () => void = () => undefined;

  constructor(metrics: RelayMetrics, log: Logger) {
    this.#metrics = metrics;
    this.#log = log;
    this.ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });
  }

  get hello(): Hello | undefined {
    return this.#hellos.hello;
  }

  get latest(): PublishedSnapshot | undefined {
    return this.#latest;
  }

  /** The epoch served now, undefined before the first snapshot. */
  get epoch(): number | undefined {
    return this.#snapshots.epoch;
  }

  /** The replica whose copy is served now; undefined when it was read from the store. */
  get origin(): FrameOrigin {
    return this.#snapshots.origin;
  }

  /** Calls `listener` with every frame passed on, serialised once. Returns the unsubscribe function. */
  subscribe(listener: (frame: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#listeners.clear();
  }

  /** A frame a replica sent, with its `Tagstream-Epoch` and `Tagstream-Replica` headers. */
  fromReplica(text: string, epochHeader: string | undefined, replica: string | undefined): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.#metrics.invalid("frame");
      this.#log.debug({ error: parsed.error }, "invalid frame from NATS dropped");
      return;
    }
    const epoch = epochHeader !== undefined && EPOCH_HEADER.test(epochHeader) ? Number(epochHeader) : undefined;
    if (epoch === undefined || (parsed.value.type === "snapshot" && parsed.value.epoch !== epoch)) {
      this.#metrics.invalid("epoch-header");
      this.#log.debug({ epochHeader }, "frame without a valid epoch header dropped");
      return;
    }
    this.#take(parsed.value, epoch, replica === undefined || replica === "" ? "unnamed" : replica);
  }

  /** A frame read from the store under `key`: older than any a replica sends of the same epoch. */
  fromStore(key: (typeof LATEST_KEYS)[keyof typeof LATEST_KEYS], text: string): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok || parsed.value.type !== key) {
      this.#metrics.invalid("store");
      this.#log.warn({ key }, "invalid value in the latest frames' store ignored");
      return;
    }
    this.#take(parsed.value, undefined, undefined);
  }

  #take(message: ServerMessage, epoch: number | undefined, origin: FrameOrigin): void {
    if (message.type === "hello") {
      const verdict = this.#hellos.offer(message, epoch);
      if (verdict !== "first") return this.#metrics.frameIgnored(verdict);
      this.#metrics.helloServed();
      this.#broadcast(JSON.stringify(message));
    } else {
      const { verdict, failover } = this.#snapshots.offer(message.epoch, origin);
      if (verdict !== "first") return this.#metrics.frameIgnored(verdict);
      if (failover) this.#log.info({ epoch: message.epoch, replica: origin }, "snapshots now come first from another replica");
      this.#metrics.epochServed(message.epoch, failover);
      const json = JSON.stringify(message);
      this.#latest = { snapshot: message, json };
      this.#broadcast(json);
    }
    if (this.#latest !== undefined && this.#hellos.hello !== undefined) this.#markReady();
  }

  #broadcast(frame: string): void {
    for (const listener of this.#listeners) listener(frame);
  }
}
