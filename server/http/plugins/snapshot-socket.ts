/**
 * `GET /ws`: `hello` on connect, the latest snapshot at once, then every snapshot as it is made,
 * and a new `hello` whenever a setting changes.
 *
 * Each frame is serialised once by the aggregator and encoded to UTF-8 once here; the same
 * bytes go to every open client (sending a string would re-encode it per client). A ping every
 * `heartbeatMs` finds dead peers: one that has not answered by the next ping is terminated. On
 * close, clients get 1001 (going away) before the server stops.
 *
 * What a client can cost is bounded. At most `maxClients` are connected at once: one more is
 * closed at once with 1013 (try again later), which the dashboard answers by retrying with
 * backoff. Clients have nothing to say: a frame over 4 KiB closes the connection (1009), a smaller
 * one is ignored and counted. A client that does not read fast enough would make the server (and
 * its kernel) hold every frame it has not taken; once more than `maxBufferedBytes` sent to it are
 * unread (unread-bytes.ts), it is terminated at the next broadcast instead, and counted. It can
 * reconnect and gets the latest snapshot at once, which is all a dashboard needs.
 */
import websocket from "@fastify/websocket";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { WebSocket } from "ws";
import type { SnapshotSource } from "../../aggregator/snapshot-source.ts";
import { UnreadBytes } from "../unread-bytes.ts";

/** Sent as a text frame although given as bytes: the dashboard reads JSON text. */
const TEXT_FRAME = { binary: false } as const;

/** Largest frame a client may send; the dashboard sends none. */
export const MAX_CLIENT_FRAME_BYTES = 4096;

/** The close code and reason for a client over `maxClients` (RFC 6455 §7.4: "try again later"). */
export const TOO_MANY_CLIENTS = { code: 1013, reason: "too many clients: try again later" } as const;

/** What the socket reports, when the app has metrics (server/metrics/aggregator-metrics.ts). */
export interface SocketMetrics {
  setClients(count: number): void;
  addBroadcast(bytes: number): void;
  unknownClientMessage(): void;
  slowClientDropped(): void;
}

export interface SnapshotSocketOptions {
  readonly feed: SnapshotSource;
  readonly heartbeatMs: number;
  /** Bytes sent to one client and not yet read by it, past which it is dropped. */
  readonly maxBufferedBytes: number;
  /** Clients connected at once; one more is closed with 1013. */
  readonly maxClients: number;
  readonly metrics?: SocketMetrics | undefined;
}

const plugin: FastifyPluginAsync<SnapshotSocketOptions> = async (app, { feed, heartbeatMs, maxBufferedBytes, maxClients, metrics }) => {
  const clients = new Set<WebSocket>();
  // Added before the websocket plugin's own preClose, which closes every client without a code:
  // hooks run in the order they were added, so clients hear 1001 (going away) first.
  app.addHook("preClose", async () => {
    for (const socket of clients) socket.close(1001, "server shutting down");
  });
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_FRAME_BYTES } });
  const alive = new WeakMap<WebSocket, boolean>();
  const unread = new WeakMap<WebSocket, UnreadBytes>();

  const send = (socket: WebSocket, bytes: Buffer): void => {
    socket.send(bytes, TEXT_FRAME);
    metrics?.addBroadcast(bytes.length);
    const probe = unread.get(socket)?.sent(bytes.length);
    if (probe !== undefined) socket.ping(probe);
  };

  const unsubscribe = feed.subscribe((frame) => {
    const bytes = Buffer.from(frame, "utf8");
    for (const socket of clients) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      // A client answering probes it has not read could hide its backlog; the process's own
      // buffer still shows it.
      const unreadBytes = Math.max(unread.get(socket)?.unread ?? 0, socket.bufferedAmount);
      if (unreadBytes > maxBufferedBytes) {
        app.log.warn({ unreadBytes, maxBufferedBytes }, "websocket client too slow: dropping it");
        metrics?.slowClientDropped();
        socket.terminate();
        continue;
      }
      send(socket, bytes);
    }
  });

  const heartbeat = setInterval(() => {
    for (const socket of clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  app.get("/ws", { websocket: true }, (socket) => {
    socket.on("error", (error) => app.log.debug({ err: error.message }, "websocket client error"));
    if (clients.size >= maxClients) {
      app.log.warn({ maxClients }, "websocket client refused: too many clients");
      socket.close(TOO_MANY_CLIENTS.code, TOO_MANY_CLIENTS.reason);
      return;
    }
    clients.add(socket);
    metrics?.setClients(clients.size);
    alive.set(socket, true);
    const receipts = new UnreadBytes();
    unread.set(socket, receipts);
    socket.on("pong", (data) => {
      alive.set(socket, true);
      const probe = receipts.pong(data.toString("latin1"));
      if (probe !== undefined && socket.readyState === WebSocket.OPEN) socket.ping(probe);
    });
    socket.on("message", () => metrics?.unknownClientMessage());
    socket.on("close", () => {
      clients.delete(socket);
      metrics?.setClients(clients.size);
    });
    send(socket, Buffer.from(JSON.stringify(feed.hello()), "utf8"));
    send(socket, Buffer.from(feed.latest().json, "utf8"));
  });

  app.addHook("preClose", async () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
};

// Not encapsulated, so that the app's `websocketServer` (@fastify/websocket's) shows who is connected.
export const snapshotSocket = fp(plugin, { name: "snapshot-socket" });
