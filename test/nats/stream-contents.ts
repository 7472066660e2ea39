/**
 * What a stream holds, read back in order with an ordered consumer: each message's data and its
 * Nats-Msg-Id, for tests that assert a stream's exact contents.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

export interface StoredMessage {
  readonly data: string;
  readonly id: string | undefined;
}

export async function streamContents(connection: NatsConnection, stream: string, timeoutMs = 10_000): Promise<StoredMessage[]> {
  const total = (await (await jetstreamManager(connection)).streams.info(stream)).state.messages;
  const consumer = await jetstream(connection).consumers.get(stream);
  const messages: StoredMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (messages.length < total) {
    if (Date.now() > deadline) throw new Error(`read ${messages.length} of ${total} messages of ${stream} within ${timeoutMs} ms`);
    const batch = await consumer.fetch({ max_messages: total - messages.length, expires: 1000 });
    for await (const message of batch) messages.push({ data: message.string(), id: message.headers?.get("Nats-Msg-Id") || undefined });
  }
  await consumer.delete().catch(() => {});
  return messages;
}
