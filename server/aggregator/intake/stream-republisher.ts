/**
 * The TCP intake of a replica in cluster mode: its lines are published to the stream instead of
 * being counted here, so that every replica counts them, at the same place in the log. Lines about
 * the connection itself (hello, stats) stay with it.
 *
 * Publishing is the stream publisher's, as in an ingestor (server/nats/stream-publisher.ts): a post
 * event carries the id an ingestor would give it, so the same post arriving here and through an
 * ingestor counts once; any other line an id of its own, so a publish retried after a lost ack is
 * stored once too; lines wait, bounded, while the cluster does not acknowledge, and past the bound
 * the oldest are dropped and counted: the socket keeps being read, and a cluster that is away must
 * not make the replica hold an unbounded backlog.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "../../log/logger.ts";
import { StreamPublisher } from "../../nats/stream-publisher.ts";
import type { LineHandler } from "./line-intake.ts";

const MAX_IN_FLIGHT = 256;
const MAX_QUEUED_LINES = 100_000;
const MAX_QUEUED_BYTES = 64 * 1024 ** 2;

export interface RepublishCounts {
  /** Lines the stream stored. */
  readonly published: number;
  /** Acked as already in the stream (the same post event published before). */
  readonly duplicates: number;
  /** Publishes tried again after a failure. */
  readonly retried: number;
  /** Lines dropped because the queue was full. */
  readonly dropped: number;
  readonly queued: number;
}

export class LineRepublisher {
  readonly #publisher: StreamPublisher;

  constructor(connection: NatsConnection, subject: string, log: Logger) {
    this.#publisher = new StreamPublisher(
      connection,
      { subject, maxQueueLines: MAX_QUEUED_LINES, maxQueueBytes: MAX_QUEUED_BYTES, maxInFlight: MAX_IN_FLIGHT },
      log.child({ component: "tcp-republisher" }),
    );
  }

  get counts(): RepublishCounts {
    const { acked, duplicates, republished, dropped, pending } = this.#publisher.counters;
    return { published: acked - duplicates, duplicates, retried: republished, dropped, queued: pending };
  }

  /** The TCP intake's handler: every line but hello, stats and blank ones goes to the stream. */
  get handler(): LineHandler {
    return {
      plain: () => false,
      line: (parsed, text) => {
        if (parsed.kind === "hello" || parsed.kind === "stats") return parsed;
        if (parsed.kind !== "blank") this.#publisher.send(text);
        return undefined;
      },
    };
  }

  /** Waits (a bounded time) for every line taken to be acknowledged; no new ones are taken after. */
  close(): Promise<void> {
    return this.#publisher.close();
  }
}
