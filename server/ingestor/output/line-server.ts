/**
 * `--listen PORT`: the ingestor as a server of lines, like the textbook's tag streamer that Spark's
 * socket source connects to. Every connected reader gets every line from the moment it connects;
 * while nobody is connected, lines are dropped and counted (Spark reads a socket live and asks for
 * no history). A reader too slow to keep up loses lines too, counted, rather than growing memory.
 */
import net from "node:net";
import { once } from "node:events";
import type { Logger } from "../../log/logger.ts";
import type { LineOutput, LineOutputStats } from "./line-output.ts";

export interface LineServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Sent first to every reader (with its newline), if any. */
  readonly greeting?: string | undefined;
  /** Bytes a reader may have pending before its lines are dropped (default 4 MiB). */
  readonly maxPendingBytes?: number;
}

export class LineServer implements LineOutput {
  readonly #server: net.Server;
  readonly #readers = new Set<net.Socket>();
  readonly #options: LineServerOptions;
  readonly #log: Logger;
  readonly #waiting = new Set<() => void>();
  #sent = 0;
  #dropped = 0;

  private constructor(server: net.Server, options: LineServerOptions, log: Logger) {
    this.#server = server;
    this.#options = options;
    this.#log = log;
    server.on("connection", (socket) => this.#accept(socket));
  }

  static async start(options: LineServerOptions, log: Logger): Promise<LineServer> {
    const server = net.createServer();
    server.listen(options.port, options.host);
    await once(server, "listening");
    return new LineServer(server, options, log);
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Resolves once at least one reader is connected. */
  waitForReader(): Promise<void> {
    if (this.#readers.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.add(resolve));
  }

  send(line: string): void {
    if (this.#readers.size === 0) {
      this.#dropped++;
      return;
    }
    const limit = this.#options.maxPendingBytes ?? 4 * 1024 * 1024;
    for (const reader of this.#readers) {
      if (reader.writableLength > limit) this.#dropped++;
      else {
        reader.write(line);
        this.#sent++;
      }
    }
  }

  sendIfConnected(line: string): void {
    if (this.#readers.size > 0) this.send(line);
  }

  get stats(): LineOutputStats & { readonly readers: number } {
    return { sent: this.#sent, dropped: this.#dropped, queued: 0, connected: this.#readers.size > 0, readers: this.#readers.size };
  }

  async close(): Promise<void> {
    for (const resolve of this.#waiting) resolve();
    this.#waiting.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Flush what each reader is owed, then let go even of a reader that never closes its side.
    for (const reader of this.#readers) reader.destroySoon();
    await closed;
  }

  #accept(socket: net.Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.#readers.add(socket);
    socket.setNoDelay(true);
    this.#log.info({ peer, readers: this.#readers.size }, "line reader connected");
    if (this.#options.greeting !== undefined) socket.write(this.#options.greeting);
    // Readers only read; whatever they send is ignored.
    socket.resume();
    socket.on("error", (error) => this.#log.warn({ peer, err: error.message }, "line reader error"));
    socket.on("close", () => {
      this.#readers.delete(socket);
      this.#log.info({ peer, readers: this.#readers.size }, "line reader disconnected");
    });
    for (const resolve of this.#waiting) resolve();
    this.#waiting.clear();
  }
}
