/**
 * The TCP edge of the aggregator: accepts ingest connections, frames lines, parses them with the
 * shared line protocol and hands valid tags to the counting engine. A bad line is counted by
 * reason and dropped; it never throws into the event loop and never disturbs the lines around it.
 *
 * What one peer can cost is bounded: at most `maxConnections` connections at once (more are
 * refused at once), one pending line of at most `maxLineBytes` each (see line-splitter.ts), to be
 * finished within `lineTimeoutMs`, and a connection that sends nothing for `idleTimeoutMs` is
 * closed. The intake writes nothing to a connection it serves, so a peer that sends without
 * reading cannot make it buffer anything.
 */
import net from "node:net";
import { once } from "node:events";
import { MAX_LINE_BYTES, parseLine, type ConnectionRefusal, type ParsedLine } from "../../../shared/line-protocol.ts";
import type { Logger } from "../../log/logger.ts";
import { ConnectionLog, DEFAULT_CONNECTION_LOG, type ConnectionLogOptions } from "./connection-log.ts";
import { refuseConnection, worthLogging } from "./connection-refusal.ts";
import { DEFAULT_AUTH_TIMEOUT_MS, IngestAuth, type AuthState } from "./ingest-auth.ts";
import type { IngestReports } from "../state/ingest-reports.ts";
import type { IntakeStats } from "../state/intake-stats.ts";
import { LineSplitter } from "./line-splitter.ts";
import { applyLine, applyPlainBytes, type LineTarget, type PeerLine } from "./line-application.ts";

export { FAST_PATH_MAX_BYTES } from "./line-application.ts";

export const DEFAULT_LINE_TIMEOUT_MS = 30_000;

/** How long a connection closed for idleness or an unfinished line has to close its side. */
export const CLOSE_GRACE_MS = 5000;

export interface LineIntakeOptions {
  readonly host: string;
  readonly port: number;
  /** Most connections open at once; more are refused (`too-many-connections`). */
  readonly maxConnections: number;
  /** A connection that sends nothing for this long is closed. */
  readonly idleTimeoutMs: number;
  /** When set, every connection must start with `AUTH <token>`. */
  readonly token?: string | undefined;
  /** How long a connection has to send `AUTH` when a token is required (default 10 s). */
  readonly authTimeoutMs?: number;
  /** Longest accepted line in bytes (default 64 KiB). */
  readonly maxLineBytes?: number;
  /** A connection holding a started line this long without its newline is closed (default 30 s). */
  readonly lineTimeoutMs?: number;
  /** How many connections are logged one by one, and how often the rest are summed up. */
  readonly connectionLog?: ConnectionLogOptions;
}

export interface LineIntake {
  /** The bound address (the real port when 0 was asked for). */
  readonly address: { readonly host: string; readonly port: number };
  close(): Promise<void>;
}

/**
 * What the intake does with the lines of an open connection: count them here (`countingHandler`),
 * or, in cluster mode, publish them to the stream so that every replica counts them.
 */
export interface LineHandler {
  /** A line's bytes, before it is decoded: true when taken as it is (the plain fast path). */
  plain(bytes: Buffer, start: number, end: number): boolean;
  /** A decoded line; hello and stats lines come back, for the connection that sent them. */
  line(parsed: ParsedLine, text: string): PeerLine | undefined;
}

/** Lines counted as they arrive, posts at the wall clock's time. */
export function countingHandler(target: LineTarget, clock: () => number = Date.now): LineHandler {
  return {
    plain: (bytes, start, end) => applyPlainBytes(bytes, start, end, target),
    line: (parsed) => applyLine(parsed, target, clock()),
  };
}

export async function startLineIntake(
  options: LineIntakeOptions,
  handler: LineHandler,
  stats: IntakeStats,
  reports: IngestReports,
  log: Logger,
): Promise<LineIntake> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const auth = new IngestAuth(options.token);
  const sockets = new Set<net.Socket>();
  const connectionLog = new ConnectionLog(log, options.connectionLog);
  const summary = setInterval(() => connectionLog.flush(sockets.size), (options.connectionLog ?? DEFAULT_CONNECTION_LOG).intervalMs);
  summary.unref();

  const refuse = (socket: net.Socket, peer: string, reason: ConnectionRefusal): void => {
    refuseConnection(socket, reason);
    const count = stats.closedConnection(reason);
    if (worthLogging(count)) log.warn({ peer, reason, count }, "ingest connection refused");
  };

  const server = net.createServer((socket) => {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on("error", (error) => log.warn({ peer, err: error.message }, "ingest connection error"));
    if (sockets.size >= options.maxConnections) {
      refuse(socket, peer, "too-many-connections");
      return;
    }
    sockets.add(socket);
    connectionLog.opened(peer);

    let state: AuthState = auth.initialState;
    const open = (): void => {
      state = "open";
      stats.connected(socket);
    };
    const refuseUnauthorised = (): void => {
      state = "refused";
      refuse(socket, peer, "unauthorised");
    };
    if (state === "open") open();
    const authDeadline =
      state === "awaiting"
        ? setTimeout(() => {
            if (state === "awaiting") refuseUnauthorised();
          }, options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS)
        : undefined;

    const splitter = new LineSplitter(maxLineBytes, {
      reject: (reason) => {
        if (state === "open") stats.reject(reason);
        else if (state === "awaiting") refuseUnauthorised();
      },
      // Plain lines carry no id, so the fast path may skip the post ledger. Before AUTH, every line
      // goes to `line`, which checks it; after a refusal, the rest of the chunk is swallowed.
      plain: (bytes, start, end) =>
        state === "refused" || (state === "open" && handler.plain(bytes, start, end)),
      line: (text) => {
        if (state === "open") {
          const about = handler.line(parseLine(text), text);
          if (about !== undefined) peerLine(about, socket, peer, stats, reports, log);
        }
        else if (state === "awaiting") {
          if (auth.accepts(text)) open();
          else refuseUnauthorised();
        }
      },
    });

    // Deadlines (idle, unfinished line) are checked one turn of the event loop after their timer
    // fires. After a stall (SIGSTOP, a suspended VM, a long GC) Node runs due timers before it reads
    // the sockets: the deferral lets bytes that arrived meanwhile be read first, so a connection with
    // unread data is never taken for idle or slow.
    let chunks = 0;
    let closing = false;
    const closeFor = (reason: "idle-timeout" | "line-timeout"): void => {
      if (closing || state === "refused") return;
      closing = true;
      clearTimeout(lineDeadline);
      const count = stats.closedConnection(reason);
      // Logged at the 1st, 10th, 100th...: a crowd of silent or trickling peers is not a line each.
      if (worthLogging(count)) {
        if (reason === "idle-timeout") log.info({ peer, idleTimeoutMs: options.idleTimeoutMs, count }, "ingest connection idle: closing it");
        else log.warn({ peer, lineTimeoutMs, count }, "ingest connection left a line unfinished: closing it");
      }
      if (reason === "line-timeout") {
        // A line that never ends is not counted, nor anything sent after it.
        state = "refused";
        socket.removeAllListeners("data");
        socket.on("data", () => {});
      }
      // end(), not destroy(): closing with unread bytes would make the kernel reset the connection
      // and throw them away. The peer reads the FIN and ends too; what it sent before is still read
      // and counted (idle), and its own close tells it to queue the rest for its next connection.
      socket.end();
      const cutOff = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      cutOff.unref();
      socket.once("close", () => clearTimeout(cutOff));
    };
    const checkIdleSoon = (): void => {
      const seen = chunks;
      setImmediate(() => {
        if (chunks === seen) closeFor("idle-timeout");
      });
    };

    // A started line must end within lineTimeoutMs, or the connection is closed: a peer trickling a
    // byte at a time (slowloris) would otherwise hold a connection slot for ever without being idle.
    const lineTimeoutMs = options.lineTimeoutMs ?? DEFAULT_LINE_TIMEOUT_MS;
    let lineDeadline: NodeJS.Timeout | undefined;
    let lineDeadlineArmed = 0;
    const onLineDeadline = (): void => {
      const armed = lineDeadlineArmed;
      // Bytes read meanwhile may end the line (then the deadline was cleared or moved); bytes that
      // do not end it change nothing.
      setImmediate(() => {
        if (armed === lineDeadlineArmed && splitter.midLine) closeFor("line-timeout");
      });
    };

    socket.setTimeout(options.idleTimeoutMs);
    socket.on("timeout", checkIdleSoon);
    socket.on("data", (chunk: Buffer) => {
      chunks++;
      const ended = splitter.linesEnded;
      splitter.push(chunk);
      if (!splitter.midLine) {
        if (lineDeadline !== undefined) {
          clearTimeout(lineDeadline);
          lineDeadline = undefined;
          lineDeadlineArmed++;
        }
      } else if (lineDeadline === undefined) {
        lineDeadline = setTimeout(onLineDeadline, lineTimeoutMs);
        lineDeadlineArmed++;
      } else if (splitter.linesEnded !== ended) {
        // A line ended and another began in this chunk: the new one gets the whole time.
        lineDeadline.refresh();
        lineDeadlineArmed++;
      }
    });
    socket.on("end", () => {
      if (state !== "refused") splitter.end();
    });
    socket.on("close", () => {
      clearTimeout(authDeadline);
      clearTimeout(lineDeadline);
      sockets.delete(socket);
      stats.disconnected(socket);
      reports.disconnected(socket);
      connectionLog.closed(peer);
    });
  });

  server.listen(options.port, options.host);
  await once(server, "listening");
  const bound = server.address() as net.AddressInfo;
  log.info(
    { host: bound.address, port: bound.port, maxConnections: options.maxConnections, tokenRequired: options.token !== undefined },
    "line intake listening",
  );

  return {
    address: { host: bound.address, port: bound.port },
    async close() {
      clearInterval(summary);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      connectionLog.flush(0);
    },
  };
}

/** A line about the peer itself: its own figures, or who it is. */
function peerLine(line: PeerLine, peer: object, name: string, stats: IntakeStats, reports: IngestReports, log: Logger): void {
  if (line.kind === "stats") {
    reports.reported(peer, line.report);
    return;
  }
  stats.announced(peer, line.hello);
  log.info({ peer: name, ...line.hello }, "ingestor announced itself");
}
