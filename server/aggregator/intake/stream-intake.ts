/**
 * The replica's reading of the stream: an ordered consumer from a start sequence (the one after the
 * checkpoint's), which the client recreates from the last sequence it delivered whenever it misses
 * one, so every message arrives once and in the stream's order. Each is handed, as it comes, to the
 * replica (log-replica.ts), which applies it synchronously: a checkpoint taken between two messages
 * holds exactly the messages up to its sequence.
 *
 * Should the consumer fail outright, or stall (its server gone: the caller, who sees the stream's
 * tail move while nothing arrives, calls `restart`), reading starts again with a new consumer from
 * the sequence after the last applied, for as long as it takes.
 */
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "../../log/logger.ts";
import type { StreamMessage } from "../log-replica.ts";

const RESTART_MS = 500;

export interface StreamIntake {
  /** Messages delivered but not yet applied, as the last delivery said (0 when caught up). */
  readonly pending: number;
  /** Consumers started again after one failed or stalled. */
  readonly restarts: number;
  /** Drops the consumer and reads on with a new one from the next sequence (one that stalled). */
  restart(): void;
  close(): Promise<void>;
}

export interface StreamIntakeOptions {
  readonly stream: string;
  readonly controlSubject: string;
  /** The sequence to read from: the one after the last applied. */
  readonly next: () => number;
  readonly apply: (message: StreamMessage) => void;
  readonly log: Logger;
}

export function startStreamIntake(js: JetStreamClient, { stream, controlSubject, next, apply, log }: StreamIntakeOptions): StreamIntake {
  let pending = 0;
  let restarts = 0;
  let closed = false;
  let current: ConsumerMessages | undefined;

  const readOnce = async (): Promise<void> => {
    const from = next();
    const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(1, from) });
    // Heartbeats every 2.5 s: a consumer whose server is gone is noticed in seconds, not half a minute.
    current = await consumer.consume({ max_messages: 1000, expires: 5000 });
    if (closed) await current.close();
    log.info({ stream, fromSeq: from }, "reading the stream");
    for await (const message of current) {
      pending = message.info.pending;
      try {
        apply({
          seq: message.seq,
          ts: Number(message.timestampNanos / 1_000_000n),
          control: message.subject === controlSubject,
          data: message.data,
        });
      } catch (error) {
        // Boundaries validate: a message that throws is logged and passed, never the end of the replica.
        log.error({ err: error, seq: message.seq }, "stream message not applied");
      }
    }
  };

  const done = (async () => {
    while (!closed) {
      let why = "the consumer stopped";
      try {
        await readOnce();
      } catch (error) {
        why = (error as Error).message;
      }
      if (closed) break;
      restarts++;
      log.warn({ err: why, restarts }, "reading the stream stopped; starting again from the next sequence");
      await new Promise((resolve) => setTimeout(resolve, RESTART_MS));
    }
  })();

  return {
    get pending() {
      return pending;
    },
    get restarts() {
      return restarts;
    },
    restart() {
      void current?.close();
    },
    async close() {
      closed = true;
      await current?.close();
      await done;
    },
  };
}
