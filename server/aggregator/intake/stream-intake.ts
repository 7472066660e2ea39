/**
 * The replica's reading of the stream: an ordered consumer from a start sequence (the one after the
 * checkpoint's), which the client recreates from the last sequence it delivered whenever it misses
 * one, so every message arrives once and in the stream's order. Each is handed, as it comes, to the
 * replica (log-replica.ts), which applies it synchronously: a checkpoint taken between two messages
 * holds exactly the messages up to its sequence.
 */
import { DeliverPolicy, type JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "../../log/logger.ts";
import type { StreamMessage } from "../log-replica.ts";

export interface StreamIntake {
  /** Messages delivered but not yet applied, as the last delivery said (0 when caught up). */
  readonly pending: number;
  close(): Promise<void>;
}

export async function startStreamIntake(
  js: JetStreamClient,
  stream: string,
  controlSubject: string,
  fromSeq: number,
  apply: (message: StreamMessage) => void,
  log: Logger,
): Promise<StreamIntake> {
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(1, fromSeq) });
  const messages = await consumer.consume({ max_messages: 1000 });
  let pending = 0;
  const done = (async () => {
    for await (const message of messages) {
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
  })();
  log.info({ stream, fromSeq }, "reading the stream");
  return {
    get pending() {
      return pending;
    },
    async close() {
      await messages.close();
      await done;
    },
  };
}
