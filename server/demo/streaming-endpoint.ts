/**
 * The simulated streaming server: its own HTTP server (Mastodon runs streaming apart from the
 * REST API, often on another host) that upgrades `/api/v1/streaming` after checking the token,
 * answers `GET /api/v1/streaming/health` with `OK`, fans published events out to subscribed
 * sockets and pings every client, terminating those that did not pong since the previous ping
 * (the heartbeat of streaming/index.js, 30 s there).
 *
 * It can be stopped and started again on the same port, and made silent (see SessionPolicy).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";

import type { DemoLogger } from "./demo-logger.ts";
import { EventFanout, type EventDelays, type StreamingStats } from "./event-fanout.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { closeServer, listen } from "./listening.ts";
import { paramsFromQuery } from "./stream-channels.ts";
import type { StreamEvent } from "./stream-event.ts";
import { StreamAuthenticationError } from "./streaming-errors.ts";
import { StreamingSession } from "./streaming-session.ts";
import { answerPlainRequest, STREAMING_PATH } from "./streaming-plain-http.ts";
import { SubscriptionWatch } from "./subscription-watch.ts";
import type { TokenScopes } from "./token-scopes.ts";
import { refuseUpgrade } from "./upgrade-refusal.ts";
import { authenticateUpgrade } from "./upgrade-token.ts";

export interface StreamingEndpointOptions {
  readonly host: string;
  /** 0 picks a free port on the first start; restarts reuse the port first bound. */
  readonly port: number;
  readonly token: string;
  readonly pingIntervalMs: number;
  /** Holds `update` and `status.update` back, each by its own delay, while `delete` goes out at once. */
  readonly delays: EventDelays;
  readonly chosenLanguages: readonly string[] | null;
  readonly tokenScopes: TokenScopes;
  readonly logger: DemoLogger;
}

export class StreamingEndpoint {
  readonly watch = new SubscriptionWatch();
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly sessions = new Set<StreamingSession>();
  private readonly rawSockets = new Set<Socket>();
  private readonly requestIds = new WeakMap<IncomingMessage, string>();
  private server: Server | undefined;
  private stopHeartbeat: (() => void) | undefined;
  private boundPort: number;
  private silent = false;
  private readonly fanout: EventFanout;

  constructor(private readonly options: StreamingEndpointOptions) {
    this.boundPort = options.port;
    this.fanout = new EventFanout(this.sessions, () => this.silent, options.delays);
    this.wss.on("headers", (headers, request) => {
      headers.push(`X-Request-Id: ${this.requestIds.get(request) ?? randomUUID()}`);
    });
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer(answerPlainRequest);
    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(request, socket, head));
    server.on("connection", (socket) => {
      this.rawSockets.add(socket);
      socket.once("close", () => this.rawSockets.delete(socket));
    });
    this.boundPort = await listen(server, this.options.host, this.boundPort);
    this.server = server;
    this.stopHeartbeat = startHeartbeat(this.sessions, this.options.pingIntervalMs, () => this.silent);
  }

  /** Like a crashed process: sockets are cut (clients see 1006) and the port refuses connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.stopHeartbeat?.();
    this.fanout.cancelPending();
    for (const session of this.sessions) session.socket.terminate();
    for (const socket of this.rawSockets) socket.destroy();
    this.watch.changed(this.subscriptions());
    await closeServer(server);
  }

  isRunning(): boolean {
    return this.server !== undefined;
  }

  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  isSilent(): boolean {
    return this.silent;
  }

  /** With a close code the clients get a close frame; without one the TCP connections are cut. */
  dropConnections(close?: { readonly code: number; readonly reason?: string }): void {
    for (const session of this.sessions) {
      if (close === undefined) session.socket.terminate();
      else session.socket.close(close.code, close.reason);
    }
    this.watch.changed(this.subscriptions());
  }

  connections(): number {
    return [...this.sessions].filter((session) => session.socket.readyState === session.socket.OPEN).length;
  }

  /** Sockets already closing count as gone, so a wait right after a drop sees the drop. */
  subscriptions(): Array<readonly string[]> {
    return [...this.sessions]
      .filter((session) => session.socket.readyState === session.socket.OPEN)
      .flatMap((session) => session.streams());
  }

  stats(): StreamingStats {
    return this.fanout.stats();
  }

  publish(event: StreamEvent): number {
    return this.fanout.publish(event);
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const requestId = randomUUID();
    this.requestIds.set(request, requestId);
    // Until ws takes the socket over, a peer resetting it must not crash the process.
    const onSocketError = (error: Error): void => this.options.logger.debug({ err: error }, "upgrade socket error");
    socket.on("error", onSocketError);
    const url = new URL(request.url ?? "/", "http://streaming.invalid");
    // Real deployments route only this prefix to the streaming server (see Mastodon's nginx.conf).
    if (url.pathname !== STREAMING_PATH && !url.pathname.startsWith(`${STREAMING_PATH}/`)) {
      refuseUpgrade(socket, 404, "Not found", requestId);
      return;
    }
    try {
      authenticateUpgrade(request, url.searchParams, this.options.token);
    } catch (error) {
      if (!(error instanceof StreamAuthenticationError)) throw error;
      this.options.logger.info({ reason: error.message }, "streaming upgrade refused");
      refuseUpgrade(socket, error.status, error.message, requestId);
      return;
    }
    socket.off("error", onSocketError);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, url.searchParams));
  }

  private onConnection(ws: WebSocket, query: URLSearchParams): void {
    const session = new StreamingSession(ws, {
      isSilent: () => this.silent,
      chosenLanguages: this.options.chosenLanguages,
      tokenScopes: this.options.tokenScopes,
      onSubscriptionsChanged: () => this.watch.changed(this.subscriptions()),
      logger: this.options.logger,
    });
    this.sessions.add(session);
    ws.once("close", () => {
      this.sessions.delete(session);
      this.watch.changed(this.subscriptions());
    });
    const stream = query.get("stream");
    if (stream !== null) session.subscribe(stream, paramsFromQuery(query));
  }
}
