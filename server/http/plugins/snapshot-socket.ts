/**
 * `GET /ws`: `hello` on connect, the latest snapshot at once, then every snapshot as it is made,
 * and a new `hello` whenever a setting changes.
 *
 * Each frame is serialised once by the aggregator and encoded to UTF-8 once here; the same
 * bytes go to every open client (sending a string would re-encode it per client). A ping every
 * `heartbeatMs` finds dead peers: one that has not answered by the next ping is terminated. On
 * close, clients get 1001 (going away) before the server stops.
 *
 * What a client can cost is bounded. Clients have nothing to say: a frame over 4 KiB closes the
 * connection (1009), a smaller one is ignored and counted. A client that does not read fast
 * enough would make the server hold every frame it has not taken; once more than
 * `maxBufferedBytes` wait for it at a broadcast, it is terminated instead and counted. It can
 * reconnect and gets the latest snapshot at once, which is all a dashboard needs.
 */
import websocket from "@fastify/websocket";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { WebSocket } from "ws";
import type { SnapshotSource } from "../../aggregator/snapshot-source.ts";

/** Sent as a text frame although given as bytes: the dashboard reads JSON text. */
const TEXT_FRAME = { binary: false } as const;

/** Largest frame a client may send; the dashboard sends none. */
export const MAX_CLIENT_FRAME_BYTES = 4096;

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
  /** Bytes that may wait to be sent to one client before it is dropped. */
  readonly maxBufferedBytes: number;
  readonly metrics?: SocketMetrics | undefined;
}

const plugin: FastifyPluginAsync<SnapshotSocketOptions> = async (app, { feed, heartbeatMs, maxBufferedBytes, metrics }) => {
  const clients = new Set<WebSocket>();
  // Added before the websocket plugin's own preClose, which closes every client without a code:
  // hooks run in the order they were added, so clients hear 1001 (going away) first.
  app.addHook("preClose", async () => {
    for (const socket of clients) socket.close(1001, "server shutting down");
  });
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_FRAME_BYTES } });
  const alive = new WeakMap<WebSocket, boolean>();

  const send = (socket: WebSocket, bytes: Buffer): void => {
    socket.send(bytes, TEXT_FRAME);
    metrics?.addBroadcast(bytes.length);
  };

  const unsubscribe = feed.subscribe((frame) => {
    const bytes = Buffer.from(frame, "utf8");
    for (const socket of clients) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (socket.bufferedAmount > maxBufferedBytes) {
        app.log.warn({ bufferedBytes: socket.bufferedAmount, maxBufferedBytes }, "websocket client too slow: dropping it");
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
    clients.add(socket);
    metrics?.setClients(clients.size);
    alive.set(socket, true);
    socket.on("pong", () => alive.set(socket, true));
    socket.on("message", () => metrics?.unknownClientMessage());
    socket.on("close", () => {
      clients.delete(socket);
      metrics?.setClients(clients.size);
    });
    socket.on("error", (error) => app.log.debug({ err: error.message }, "websocket client error"));
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
