/**
 * The ingestor's side of the line socket: a TCP client that stays connected to the aggregator.
 *
 * While the aggregator is away it reconnects with capped, jittered backoff and keeps lines in a
 * bounded queue; when the queue is full the oldest line is dropped and counted, and drops are
 * logged. On every (re)connection it first sends its hello line, then the queued lines in order.
 */
import net from "node:net";
import type { Logger } from "../log/logger.ts";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import type { LineOutput, LineOutputStats } from "./line-output.ts";

export interface LineSenderOptions {
  readonly host: string;
  readonly port: number;
  /** Most lines kept while disconnected. */
  readonly maxQueueLines: number;
  /** Sent first on every connection (with its newline), if any. */
  readonly helloLine?: string | undefined;
  readonly backoff?: BackoffPolicy;
}

export interface LineSenderStats extends LineOutputStats {
  readonly connects: number;
}

export class LineSender implements LineOutput {
  readonly #options: LineSenderOptions;
  readonly #log: Logger;
  #socket: net.Socket | undefined;
  #connected = false;
  #closed = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | undefined;
  #queue: string[] = [];
  #queueHead = 0;
  #sent = 0;
  #dropped = 0;
  #droppedLogged = 0;
  #connects = 0;

  constructor(options: LineSenderOptions, log: Logger) {
    this.#options = options;
    this.#log = log;
    this.#connect();
  }

  /** Sends one line (newline included) now, or queues it until the aggregator is back. */
  send(line: string): void {
    if (this.#closed || this.#writeNow(line)) return;
    this.#enqueue(line);
  }

  /** Writes now if connected with nothing queued; otherwise the line is not needed any more. */
  sendIfConnected(line: string): void {
    if (!this.#closed) this.#writeNow(line);
  }

  #writeNow(line: string): boolean {
    if (!this.#connected || this.#queued > 0 || this.#socket === undefined) return false;
    this.#socket.write(line);
    this.#sent++;
    return true;
  }

  get stats(): LineSenderStats {
    return { sent: this.#sent, dropped: this.#dropped, queued: this.#queued, connects: this.#connects, connected: this.#connected };
  }

  /** Flushes what the socket holds and closes it; queued lines that never got out are reported. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.end();
    });
  }

  get #queued(): number {
    return this.#queue.length - this.#queueHead;
  }

  #enqueue(line: string): void {
    this.#queue.push(line);
    if (this.#queued > this.#options.maxQueueLines) {
      this.#queueHead++;
      this.#dropped++;
      // One warning per power of ten: loud enough to notice, never a line per drop.
      if (this.#dropped >= this.#droppedLogged * 10) {
        this.#droppedLogged = Math.max(1, this.#dropped);
        this.#log.warn({ dropped: this.#dropped, maxQueueLines: this.#options.maxQueueLines }, "ingest queue full: dropping oldest lines");
      }
    }
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
  }

  #connect(): void {
    const { host, port } = this.#options;
    const socket = net.createConnection({ host, port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.#connected = true;
      this.#connects++;
      this.#attempt = 0;
      this.#log.info({ host, port, queued: this.#queued }, "connected to aggregator");
      if (this.#options.helloLine !== undefined) socket.write(this.#options.helloLine);
      this.#flush(socket);
    });
    socket.on("error", (error) => {
      if (this.#attempt === 0 || this.#connected) this.#log.warn({ host, port, err: error.message }, "aggregator connection failed");
    });
    socket.on("close", () => {
      const wasConnected = this.#connected;
      this.#connected = false;
      if (this.#closed) return;
      if (wasConnected) this.#log.warn({ host, port }, "aggregator connection lost; reconnecting");
      const delay = backoffDelay(this.#attempt++, this.#options.backoff ?? DEFAULT_BACKOFF);
      this.#retry = setTimeout(() => this.#connect(), delay);
    });
  }

  #flush(socket: net.Socket): void {
    while (this.#queued > 0) {
      socket.write(this.#queue[this.#queueHead] as string);
      this.#queueHead++;
      this.#sent++;
    }
    this.#queue = [];
    this.#queueHead = 0;
  }
}
