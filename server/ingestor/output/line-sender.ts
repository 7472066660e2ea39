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
 *
 * What TCP does and does not promise about lines already written:
 * - The aggregator closes a connection it no longer wants with a FIN and goes on reading until ours.
 *   Once its FIN arrives, nothing more is written to that socket (new lines wait in the queue for the
 *   next connection); everything written before it is read, since our FIN follows it.
 * - A line Node has not yet handed to the kernel when the connection fails was never sent: it goes
 *   back to the front of the queue, in order.
 * - A line handed to the kernel on a connection that then fails (reset, aggregator killed) may or
 *   may not have been read: TCP acknowledges bytes to the kernel, not to the reader, and the line
 *   socket has no acknowledgements of its own. Such lines are counted as `unconfirmed` and logged,
 *   an upper bound of what may be lost, so that no loss is silent.
 */
import net from "node:net";
import { encodeAuthLine, parseRefusalLine, type ConnectionRefusal } from "../../../shared/line-protocol.ts";
import type { Logger } from "../../log/logger.ts";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "../../../shared/backoff.ts";
import { BoundedLineQueue } from "../../queue/bounded-line-queue.ts";
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
  /** Lines handed to the kernel on connections that then failed: they may not have been read. */
  readonly unconfirmed: number;
  /** Lines taken back from a failed connection before they left this process, and sent again. */
  readonly resent: number;
}

/** The lines written to one connection, for what happens to them if it fails. */
interface Connection {
  /** Lines written and not yet handed to the kernel, oldest first (from `head`). */
  readonly pending: string[];
  head: number;
  /** Lines handed to the kernel on this connection. */
  flushed: number;
  /** The aggregator closed its side in order (FIN): everything written before was read. */
  ended: boolean;
}

export class LineSender implements LineOutput {
  readonly #options: LineSenderOptions;
  readonly #log: Logger;
  #socket: net.Socket | undefined;
  #connected = false;
  #closed = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | undefined;
  readonly #queue: BoundedLineQueue<string>;
  #attemptBeforeConnect = 0;
  #refusals = 0;
  #refusalsLogged = 0;
  #sent = 0;
  #connects = 0;
  #unconfirmed = 0;
  #resent = 0;
  #connection: Connection | undefined;

  constructor(options: LineSenderOptions, log: Logger) {
    this.#options = options;
    this.#log = log;
    this.#queue = new BoundedLineQueue({ maxLines: options.maxQueueLines, maxBytes: options.maxQueueBytes }, (line) => Buffer.byteLength(line, "utf8"), log);
    this.#connect();
  }

  /** Sends one line (newline included) now, or queues it until the aggregator is back. */
  send(line: string): void {
    if (this.#closed || this.#writeNow(line)) return;
    this.#queue.push(line);
  }

  /** Writes now if connected with nothing queued; otherwise the line is not needed any more. */
  sendIfConnected(line: string): void {
    if (!this.#closed) this.#writeNow(line);
  }

  #writeNow(line: string): boolean {
    if (!this.#connected || this.#queue.length > 0 || this.#socket === undefined) return false;
    // An aggregator that is up but not reading: hold lines in the bounded queue, not the socket's buffer.
    if (this.#socket.writableLength > this.#options.maxQueueBytes) return false;
    this.#write(this.#socket, line);
    this.#sent++;
    return true;
  }

  /** Writes one line, keeping it until the kernel has it (see the file comment). */
  #write(socket: net.Socket, line: string): void {
    const connection = this.#connection;
    if (connection === undefined) {
      socket.write(line);
      return;
    }
    connection.pending.push(line);
    socket.write(line, (error) => {
      if (error !== undefined && error !== null) return;
      connection.head++;
      connection.flushed++;
      if (connection.head === connection.pending.length) {
        connection.pending.length = 0;
        connection.head = 0;
      }
    });
  }

  /**
   * A connection is over: lines still in this process go back to the front of the queue; lines
   * the kernel had are unconfirmed unless the aggregator ended the connection in order.
   */
  #settle(connection: Connection, hadError: boolean): void {
    const unsent = connection.pending.slice(connection.head);
    connection.pending.length = 0;
    connection.head = 0;
    if (hadError && !connection.ended && connection.flushed > 0) {
      this.#unconfirmed += connection.flushed;
      this.#log.warn(
        { host: this.#options.host, port: this.#options.port, lines: connection.flushed, unconfirmed: this.#unconfirmed },
        "aggregator connection failed: lines written on it may not all have been counted",
      );
    }
    if (unsent.length === 0) return;
    this.#sent -= unsent.length;
    this.#resent += unsent.length;
    this.#queue.putBack(unsent);
  }

  get stats(): LineSenderStats {
    return {
      sent: this.#sent,
      dropped: this.#queue.dropped,
      queued: this.#queue.length,
      connects: this.#connects,
      connected: this.#connected,
      unconfirmed: this.#unconfirmed,
      resent: this.#resent,
    };
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

  #connect(): void {
    const { host, port } = this.#options;
    const socket = net.createConnection({ host, port });
    const connection: Connection = { pending: [], head: 0, flushed: 0, ended: false };
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.#connection = connection;
      this.#connected = true;
      this.#connects++;
      this.#attemptBeforeConnect = this.#attempt;
      this.#attempt = 0;
      this.#log.info({ host, port, queued: this.#queue.length }, "connected to aggregator");
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
    socket.on("end", () => {
      // The aggregator closed its side: it reads what was written so far, and nothing more may go
      // into this socket. Lines queue from now on; the close that follows reconnects.
      connection.ended = true;
      this.#connected = false;
    });
    socket.on("close", (hadError) => {
      const wasConnected = this.#connected || connection.ended;
      this.#connected = false;
      if (this.#connection === connection) {
        this.#connection = undefined;
        this.#settle(connection, hadError);
      }
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
    for (const line of this.#queue.takeAll()) {
      this.#write(socket, line);
      this.#sent++;
    }
  }
}
