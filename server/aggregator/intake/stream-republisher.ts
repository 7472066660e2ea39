/**
 * The TCP intake of a replica in cluster mode: its lines are published to the stream instead of
 * being counted here, so that every replica counts them, at the same place in the log. A post event
 * gets the message id an ingestor would give it (message-id.ts), so the same post arriving here and
 * through an ingestor counts once. Lines about the connection itself (hello, stats) stay with it.
 *
 * Publishing waits for the stream's ack with up to MAX_IN_FLIGHT lines at once; a line whose
 * publish fails is tried again with the same id (JetStream keeps one copy), and lines beyond
 * MAX_QUEUED waiting are dropped and counted: the socket keeps being read, and a cluster that is
 * away must not make the replica hold an unbounded backlog.
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "../../log/logger.ts";
import { postMessageId } from "../../nats/message-id.ts";
import type { LineHandler } from "./line-intake.ts";

const MAX_IN_FLIGHT = 256;
const MAX_QUEUED = 100_000;
const RETRY_MS = 500;

export interface RepublishCounts {
  readonly published: number;
  /** Acked as already in the stream (the same post event published before). */
  readonly duplicates: number;
  readonly retried: number;
  /** Lines dropped because MAX_QUEUED were already waiting. */
  readonly dropped: number;
  readonly queued: number;
}

export class LineRepublisher {
  readonly #js: JetStreamClient;
  readonly #subject: string;
  readonly #log: Logger;
  readonly #queue: Array<{ readonly line: string; readonly id: string | undefined }> = [];
  #inFlight = 0;
  /** Failed lines waiting to be tried again. */
  #waiting = 0;
  #closed = false;
  #counts = { published: 0, duplicates: 0, retried: 0, dropped: 0 };
  #drained: (() => void) | undefined;

  constructor(js: JetStreamClient, subject: string, log: Logger) {
    this.#js = js;
    this.#subject = subject;
    this.#log = log;
  }

  get counts(): RepublishCounts {
    return { ...this.#counts, queued: this.#queue.length + this.#inFlight + this.#waiting };
  }

  /** The TCP intake's handler: every line but hello, stats and blank ones goes to the stream. */
  get handler(): LineHandler {
    return {
      plain: () => false,
      line: (parsed, text) => {
        if (parsed.kind === "hello" || parsed.kind === "stats") return parsed;
        if (parsed.kind !== "blank") this.publish(text);
        return undefined;
      },
    };
  }

  publish(line: string): void {
    if (this.#queue.length >= MAX_QUEUED) {
      this.#counts.dropped++;
      return;
    }
    this.#queue.push({ line, id: postMessageId(line) });
    this.#pump();
  }

  /** Resolves once every queued line is acked; no new ones are taken after it is called. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#idle) return;
    await new Promise<void>((resolve) => (this.#drained = resolve));
  }

  get #idle(): boolean {
    return this.#queue.length === 0 && this.#inFlight === 0 && this.#waiting === 0;
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length > 0) {
      const item = this.#queue.shift() as { line: string; id: string | undefined };
      this.#inFlight++;
      this.#js
        .publish(this.#subject, item.line, item.id === undefined ? {} : { msgID: item.id })
        .then(
          (ack) => {
            if (ack.duplicate) this.#counts.duplicates++;
            else this.#counts.published++;
          },
          (error: unknown) => {
            // A plain line has no id: a publish that reached the stream but lost its ack counts twice.
            this.#counts.retried++;
            if (this.#counts.retried === 1 || this.#counts.retried % 1000 === 0) this.#log.warn({ err: (error as Error).message, retried: this.#counts.retried }, "publishing a TCP line to the stream failed; trying again");
            this.#waiting++;
            setTimeout(() => {
              this.#waiting--;
              this.#queue.unshift(item);
              this.#pump();
            }, RETRY_MS).unref();
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#pump();
          if (this.#closed && this.#idle) this.#drained?.();
        });
    }
  }
}
