/**
 * The ingestor's side of the line socket: a TCP client that stays connected to the aggregator.
 *
 * While the aggregator is away it reconnects with capped, jittered backoff and keeps lines in a
 * queue bounded by count and by bytes; past either bound the oldest lines are dropped and counted,
 * and drops are logged. On every (re)connection it first sends `AUTH <token>` when it has a token,
 * then its hello line, then the queued lines in order.
 *
 * The aggregator writes nothing back except `ERR <reason>` just before it refuses a connection; that
 * is logged (never the token), and reconnecting backs off as after a failed attempt.
 */
import net from "node:net";
import { encodeAuthLine, parseRefusalLine, type ConnectionRefusal } from "../../../shared/line-protocol.ts";
import type { Logger } from "../../log/logger.ts";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "../../../shared/backoff.ts";
import type { LineOutput, LineOutputStats } from "./line-output.ts";

export interface LineSenderOptions {
  readonly host: string;
  readonly port: number;
  /** Most lines kept while disconnected. */
  readonly maxQueueLines: number;
  /** Most bytes of lines (UTF-8, as sent) kept while disconnected. */
  readonly maxQueueBytes: number;
  /** INGEST_TOKEN: sent as `AUTH <token>` first on every connection, when set. */
  readonly token?: string | undefined;
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
  /** UTF-8 length of each queued line, index for index. */
  #queueSizes: number[] = [];
  #queueHead = 0;
  #queuedBytes = 0;
  #attemptBeforeConnect = 0;
  #refusals = 0;
  #refusalsLogged = 0;
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
    // An aggregator that is up but not reading: hold lines in the bounded queue, not the socket's buffer.
    if (this.#socket.writableLength > this.#options.maxQueueBytes) return false;
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
    const size = Buffer.byteLength(line, "utf8");
    this.#queue.push(line);
    this.#queueSizes.push(size);
    this.#queuedBytes += size;
    const { maxQueueLines, maxQueueBytes } = this.#options;
    while (this.#queued > maxQueueLines || this.#queuedBytes > maxQueueBytes) {
      this.#queuedBytes -= this.#queueSizes[this.#queueHead] as number;
      this.#queueHead++;
      this.#dropped++;
      // One warning per power of ten: loud enough to notice, never a line per drop.
      if (this.#dropped >= this.#droppedLogged * 10) {
        this.#droppedLogged = Math.max(1, this.#dropped);
        this.#log.warn({ dropped: this.#dropped, maxQueueLines, maxQueueBytes }, "ingest queue full: dropping oldest lines");
      }
    }
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueSizes = this.#queueSizes.slice(this.#queueHead);
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
      this.#attemptBeforeConnect = this.#attempt;
      this.#attempt = 0;
      this.#log.info({ host, port, queued: this.#queued }, "connected to aggregator");
      if (this.#options.token !== undefined) socket.write(encodeAuthLine(this.#options.token));
      if (this.#options.helloLine !== undefined) socket.write(this.#options.helloLine);
      this.#flush(socket);
    });
    socket.on("drain", () => {
      if (this.#connected) this.#flush(socket);
    });
    this.#watchForRefusal(socket);
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

  /** Reads what little the aggregator says: at most one `ERR <reason>` line, before it closes. */
  #watchForRefusal(socket: net.Socket): void {
    let heard = "";
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      // Only the first line can be a refusal, and it is short: anything else is ignored.
      if (heard.includes("\n") || heard.length > 256) return;
      heard += text;
      const end = heard.indexOf("\n");
      const reason = end === -1 ? undefined : parseRefusalLine(heard.slice(0, end));
      if (reason !== undefined) this.#refused(reason);
    });
  }

  #refused(reason: ConnectionRefusal): void {
    // Reconnecting at once would be refused again: back off as after a failed attempt.
    this.#attempt = this.#attemptBeforeConnect + 1;
    this.#refusals++;
    if (this.#refusals < this.#refusalsLogged * 10) return;
    this.#refusalsLogged = this.#refusals;
    const why =
      reason === "unauthorised" ? "INGEST_TOKEN is missing or not the aggregator's" : "it holds as many connections as INGEST_MAX_CONNECTIONS allows";
    this.#log.error({ host: this.#options.host, port: this.#options.port, reason, refusals: this.#refusals }, `aggregator refused the connection: ${why}`);
  }

  #flush(socket: net.Socket): void {
    while (this.#queued > 0) {
      socket.write(this.#queue[this.#queueHead] as string);
      this.#queueHead++;
      this.#sent++;
    }
    this.#queue = [];
    this.#queueSizes = [];
    this.#queueHead = 0;
    this.#queuedBytes = 0;
  }
}
