/**
 * The TCP edge of the aggregator: accepts ingest connections, frames lines, parses them with the
 * shared line protocol and hands valid tags to the counting engine. A bad line is counted by
 * reason and dropped; it never throws into the event loop and never disturbs the lines around it.
 */
import net from "node:net";
import { once } from "node:events";
import { MAX_LINE_BYTES, MAX_TAG_LENGTH, parseLine } from "../../shared/line-protocol.ts";
import type { Logger } from "../log/logger.ts";
import type { CountingEngine } from "./counting-engine.ts";
import type { IngestReports } from "./ingest-reports.ts";
import type { IntakeStats } from "./intake-stats.ts";
import { LineSplitter } from "./line-splitter.ts";
import type { PostLedger } from "./post-ledger.ts";

/**
 * Longest line offered to the engine's byte fast path (plain-line.ts), which counts `[a-z0-9_]`
 * tokens as they are and so never sees the protocol's limits. A line this short cannot break them:
 * each of its tokens has at most MAX_TAG_LENGTH characters, one byte each, and it holds at most
 * (MAX_TAG_LENGTH + 1) / 2 tokens, fewer than MAX_TAGS_PER_LINE. Longer lines take the string path,
 * where parseLine applies the limits.
 */
export const FAST_PATH_MAX_BYTES = MAX_TAG_LENGTH;

export interface LineIntakeOptions {
  readonly host: string;
  readonly port: number;
  /** Longest accepted line in bytes (default 64 KiB). */
  readonly maxLineBytes?: number;
}

export interface LineIntake {
  /** The bound address (the real port when 0 was asked for). */
  readonly address: { readonly host: string; readonly port: number };
  close(): Promise<void>;
}

export async function startLineIntake(
  options: LineIntakeOptions,
  engine: CountingEngine,
  posts: PostLedger,
  stats: IntakeStats,
  reports: IngestReports,
  log: Logger,
): Promise<LineIntake> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    stats.connected(socket);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    log.info({ peer }, "ingest connection opened");
    const splitter = new LineSplitter(maxLineBytes, {
      reject: (reason) => stats.reject(reason),
      // Plain lines carry no id, so the fast path may skip the post ledger.
      plain: (bytes, start, end) => end - start <= FAST_PATH_MAX_BYTES && engine.ingestPlainLine(bytes, start, end),
      line: (text) => {
        const parsed = parseLine(text);
        switch (parsed.kind) {
          case "tags":
            posts.post(parsed.tags, parsed.meta);
            stats.dropped(parsed);
            break;
          case "update":
            posts.update(parsed.id, parsed.tags);
            stats.dropped(parsed);
            break;
          case "delete":
            posts.delete(parsed.id);
            break;
          case "stats":
            reports.reported(socket, parsed.report);
            break;
          case "hello":
            stats.announced(socket, parsed.hello);
            log.info({ peer, ...parsed.hello }, "ingestor announced itself");
            break;
          case "rejected":
            stats.reject(parsed.reason);
            break;
          case "blank":
            break;
        }
      },
    });
    socket.on("data", (chunk: Buffer) => splitter.push(chunk));
    socket.on("end", () => splitter.end());
    socket.on("error", (error) => log.warn({ peer, err: error.message }, "ingest connection error"));
    socket.on("close", () => {
      sockets.delete(socket);
      stats.disconnected(socket);
      reports.disconnected(socket);
      log.info({ peer }, "ingest connection closed");
    });
  });

  server.listen(options.port, options.host);
  await once(server, "listening");
  const bound = server.address() as net.AddressInfo;
  log.info({ host: bound.address, port: bound.port }, "line intake listening");

  return {
    address: { host: bound.address, port: bound.port },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
