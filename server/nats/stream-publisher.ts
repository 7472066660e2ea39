/**
 * Lines into the stream, kept until JetStream acknowledges them: the ingestor's output in cluster
 * mode, and the way a replica's TCP intake hands its lines to every replica. Each line is published
 * to the stream's posts subject (one line a message, without its newline).
 *
 * - Publishes are pipelined: up to `maxInFlight` wait for their PubAck at once, in order.
 * - Each line carries a Nats-Msg-Id: a post event's id (server/nats/message-id.ts), so the same post
 *   from another ingestor is stored once; any other line an id of its own, unique to this process.
 * - A publish that fails (no ack in time, no stream leader, the connection lost) is not forgotten:
 *   once every publish in flight has settled, the failed lines go back to the front of the queue in
 *   their order and are published again, with the same id, after a capped backoff. A line whose
 *   first publish was stored but whose ack was lost is then a duplicate to JetStream, which keeps
 *   one copy (within the duplicate window) and says so in the ack: counted as `duplicates`.
 * - Lines wait in a queue bounded by count and bytes (INGEST_QUEUE_LINES/BYTES) while the cluster is
 *   away; past a bound the oldest are dropped and counted.
 */
import { jetstream, type JetStreamClient, type PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { randomBytes } from "node:crypto";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "../../shared/backoff.ts";
import type { NatsSettings } from "../config/nats-settings.ts";
import type { Logger } from "../log/logger.ts";
import { BoundedLineQueue } from "../queue/bounded-line-queue.ts";
import { clusterSubjects } from "./cluster-wire.ts";
import { postMessageId } from "./message-id.ts";
import { connectNats } from "./nats-connection.ts";
import { ensureStream } from "./stream-setup.ts";

export interface StreamPublisherOptions {
  /** The stream's posts subject (clusterSubjects(stream).posts). */
  readonly subject: string;
  /** Most lines kept unacknowledged, beyond those in flight. */
  readonly maxQueueLines: number;
  /** Most bytes of such lines (UTF-8). */
  readonly maxQueueBytes: number;
  /** Publishes awaiting their ack at once (default 512). */
  readonly maxInFlight?: number;
  /** How long a publish waits for its ack before it counts as failed (default 5 s). */
  readonly ackTimeoutMs?: number;
  /** How long close() waits for unacknowledged lines (default 10 s). */
  readonly closeTimeoutMs?: number;
  /** Published first (with its newline), once. */
  readonly helloLine?: string | undefined;
  readonly backoff?: BackoffPolicy;
}

export interface StreamCounters {
  /** First publishes of a line. */
  readonly published: number;
  /** Lines JetStream acknowledged (stored, or already stored: see duplicates). */
  readonly acked: number;
  /** Acks that said JetStream already had the message id: not stored again. */
  readonly duplicates: number;
  /** Publishes of a line again after a failed attempt, with its id. */
  readonly republished: number;
  readonly dropped: number;
  /** Lines not yet acknowledged: queued and in flight. */
  readonly pending: number;
}

/** The ingestor's output figures (its LineOutputStats), with the stream's own counters. */
export interface StreamPublisherStats {
  /** Lines acknowledged. */
  readonly sent: number;
  readonly dropped: number;
  /** Lines not yet acknowledged. */
  readonly queued: number;
  /** False while publishes fail. */
  readonly connected: boolean;
  readonly stream: StreamCounters;
}

interface Entry {
  /** The line without its newline. */
  readonly data: string;
  readonly id: string;
  /** Order of arrival, to put failed lines back in order. */
  readonly seq: number;
  attempts: number;
}

/** Structurally the ingestor's LineOutput (which this edge may not import). */
export class StreamPublisher {
  readonly #js: JetStreamClient;
  readonly #options: StreamPublisherOptions;
  readonly #log: Logger;
  readonly #queue: BoundedLineQueue<Entry>;
  readonly #inFlight = new Set<Entry>();
  /** Lines whose publish failed, waiting for the in-flight ones to settle. */
  #failed: Entry[] = [];
  #retry: NodeJS.Timeout | undefined;
  #retryAttempt = 0;
  #failingSince: number | undefined;
  /** Unique to this process: ids of lines that are not post events. */
  readonly #idPrefix = randomBytes(8).toString("hex");
  #seq = 0;
  #closed = false;
  /** Closed and done waiting: nothing is published or retried any more. */
  #stopped = false;
  #idle: Array<() => void> = [];
  readonly #onClose: (() => Promise<void>) | undefined;
  #published = 0;
  #acked = 0;
  #duplicates = 0;
  #republished = 0;

  constructor(connection: NatsConnection, options: StreamPublisherOptions, log: Logger, onClose?: () => Promise<void>) {
    this.#js = jetstream(connection);
    this.#options = options;
    this.#log = log;
    this.#onClose = onClose;
    this.#queue = new BoundedLineQueue({ maxLines: options.maxQueueLines, maxBytes: options.maxQueueBytes }, (entry) => Buffer.byteLength(entry.data, "utf8"), log);
    if (options.helloLine !== undefined) this.send(options.helloLine);
  }

  /**
   * Connects to the cluster (waiting for it), makes sure the stream exists (retrying while
   * JetStream is not ready), and publishes to its posts subject; closing also closes the connection.
   */
  static async connect(settings: NatsSettings, options: Omit<StreamPublisherOptions, "subject">, log: Logger, name = "tagstream-ingest"): Promise<StreamPublisher> {
    const connection = await connectNats(settings, name, log);
    for (let attempt = 0; ; attempt++) {
      try {
        await ensureStream(connection, settings);
        break;
      } catch (error) {
        const delay = backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF);
        log.warn({ stream: settings.stream, err: (error as Error).message, retryInMs: delay }, "JetStream not ready: cannot check the stream yet");
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    log.info({ stream: settings.stream, replicas: settings.replicas }, "publishing to the stream");
    return new StreamPublisher(connection, { ...options, subject: clusterSubjects(settings.stream).posts }, log, () => connection.close());
  }

  send(line: string): void {
    if (this.#closed) return;
    const data = line.endsWith("\n") ? line.slice(0, -1) : line;
    const seq = this.#seq++;
    this.#queue.push({ data, id: postMessageId(data) ?? `${this.#idPrefix}-${seq}`, seq, attempts: 0 });
    this.#pump();
  }

  /**
   * Figures that the next report replaces (the ingestor's stats line) are not published: the stream
   * is the record of post events that every replica replays, and one per ingestor would mix there.
   */
  sendIfConnected(_line: string): void {}

  get stats(): StreamPublisherStats {
    const counters = this.counters;
    return { sent: this.#acked, dropped: counters.dropped, queued: counters.pending, connected: this.#failingSince === undefined, stream: counters };
  }

  get counters(): StreamCounters {
    return {
      published: this.#published,
      acked: this.#acked,
      duplicates: this.#duplicates,
      republished: this.#republished,
      dropped: this.#queue.dropped,
      pending: this.#pending,
    };
  }

  /** Resolves once every line sent so far is acknowledged or dropped. */
  settled(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Waits (up to closeTimeoutMs) for what is unacknowledged; what is still not is reported as lost. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const limit = this.#options.closeTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.settled(), new Promise((resolve) => (timer = setTimeout(resolve, limit)))]);
    clearTimeout(timer);
    this.#stopped = true;
    clearTimeout(this.#retry);
    if (this.#pending > 0) this.#log.warn({ unacknowledged: this.#pending, waitedMs: limit }, "closing with lines the stream has not acknowledged: they are lost");
    this.#log.info({ stream: this.counters }, "stream publisher closed");
    await this.#onClose?.();
  }

  get #pending(): number {
    return this.#queue.length + this.#inFlight.size + this.#failed.length;
  }

  #pump(): void {
    if (this.#stopped || this.#retry !== undefined || this.#failed.length > 0) return;
    const maxInFlight = this.#options.maxInFlight ?? 512;
    while (this.#inFlight.size < maxInFlight) {
      const entry = this.#queue.shift();
      if (entry === undefined) break;
      this.#publish(entry);
    }
    if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  #publish(entry: Entry): void {
    if (entry.attempts++ === 0) this.#published++;
    else this.#republished++;
    this.#inFlight.add(entry);
    this.#js.publish(this.#options.subject, entry.data, { msgID: entry.id, timeout: this.#options.ackTimeoutMs ?? 5000 }).then(
      (ack) => this.#acknowledged(entry, ack),
      (error: unknown) => this.#publishFailed(entry, error),
    );
  }

  #acknowledged(entry: Entry, ack: PubAck): void {
    this.#inFlight.delete(entry);
    this.#acked++;
    if (ack.duplicate) this.#duplicates++;
    if (this.#failingSince !== undefined && this.#failed.length === 0) {
      this.#log.info({ afterMs: Date.now() - this.#failingSince, pending: this.#pending, republished: this.#republished }, "the stream acknowledges again");
      this.#failingSince = undefined;
      this.#retryAttempt = 0;
    }
    this.#retryWhenSettled();
    this.#pump();
  }

  #publishFailed(entry: Entry, error: unknown): void {
    this.#inFlight.delete(entry);
    this.#failed.push(entry);
    if (this.#failingSince === undefined) {
      this.#failingSince = Date.now();
      this.#log.warn({ err: (error as Error).message, pending: this.#pending }, "the stream did not acknowledge: keeping lines to publish again");
    }
    this.#retryWhenSettled();
  }

  /** Failed lines go back only once every publish in flight has settled, so that they keep their order. */
  #retryWhenSettled(): void {
    if (this.#stopped || this.#failed.length === 0 || this.#inFlight.size > 0 || this.#retry !== undefined) return;
    const delay = backoffDelay(this.#retryAttempt++, this.#options.backoff ?? DEFAULT_BACKOFF);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      const failed = this.#failed.sort((a, b) => a.seq - b.seq);
      this.#failed = [];
      this.#queue.putBack(failed);
      this.#pump();
    }, delay);
  }
}
