/**
 * Asks the replicas what a snapshot does not hold (a tag's counts, a top beyond it, a setting
 * change) over NATS request-reply: the replicas answer in one queue group, so one of them answers
 * each request. Every reply is validated against its schema in cluster-wire.ts; whatever keeps a
 * usable answer from coming (no replica running, none answering in time, a refused reply) becomes
 * a SourceUnavailableError naming why, which the HTTP edge answers with 503, and is counted.
 */
import { errors, type NatsConnection } from "@nats-io/transport-node";
import type { z } from "zod";
import { SourceUnavailableError } from "../aggregator/snapshot-source.ts";
import { replyErrorSchema } from "../nats/cluster-wire.ts";
import type { RequestFailure } from "./web-node-metrics.ts";

export interface ReplicaRequests {
  /** The reply to `body` on `subject`, valid against `schema` and not an error reply. */
  ask<S extends z.ZodType>(subject: string, body: unknown, schema: S): Promise<Exclude<z.infer<S>, z.infer<typeof replyErrorSchema>>>;
}

export function replicaRequests(
  connection: NatsConnection,
  timeoutMs: number,
  failed: (reason: RequestFailure) => void,
): ReplicaRequests {
  const unavailable = (reason: RequestFailure, message: string, cause?: unknown): SourceUnavailableError => {
    failed(reason);
    return new SourceUnavailableError(message, { cause });
  };
  return {
    async ask(subject, body, schema) {
      let text: string;
      try {
        text = (await connection.request(subject, JSON.stringify(body), { timeout: timeoutMs })).string();
      } catch (error) {
        if (error instanceof errors.RequestError && error.isNoResponders()) {
          throw unavailable("no-replica", "no replica is running to answer: start one (npm run serve with NATS_URL)", error);
        }
        if (error instanceof errors.TimeoutError || error instanceof errors.RequestError) {
          throw unavailable("timeout", `no replica answered within ${timeoutMs} ms`, error);
        }
        throw unavailable("connection", `cannot reach the replicas: ${(error as Error).message}`, error);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw unavailable("invalid-reply", "a replica sent an answer that is not JSON");
      }
      const refused = replyErrorSchema.safeParse(json);
      if (refused.success) throw unavailable("error-reply", `the replica could not answer: ${refused.data.error}`);
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw unavailable("invalid-reply", "a replica sent an answer of the wrong form");
      return parsed.data as never;
    },
  };
}
