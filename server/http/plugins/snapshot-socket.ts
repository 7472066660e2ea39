/**
 * `GET /ws`: `hello` on connect, the latest snapshot at once, then every snapshot as it is made,
 * and a new `hello` whenever a setting changes.
 *
 * Each frame is serialised once by the aggregator and encoded to UTF-8 once here; the same
 * bytes go to every open client (sending a string would re-encode it per client). A ping every `heartbeatMs` finds dead peers: one that has not answered by the next ping
 * is terminated. On close, clients get 1001 (going away) before the server stops.
 */
import websocket from "@fastify/websocket";
import type { FastifyPluginAsync } from "fastify";
import { WebSocket } from "ws";
import type { SnapshotFeed } from "../snapshot-feed.ts";

/** Sent as a text frame although given as bytes: the dashboard reads JSON text. */
const TEXT_FRAME = { binary: false } as const;

interface Options {
  feed: SnapshotFeed;
  heartbeatMs: number;
}

export const snapshotSocket: FastifyPluginAsync<Options> = async (app, { feed, heartbeatMs }) => {
  const clients = new Set<WebSocket>();
  // Added before the websocket plugin's own preClose, which closes every client without a code:
  // hooks run in the order they were added, so clients hear 1001 (going away) first.
  app.addHook("preClose", async () => {
    for (const socket of clients) socket.close(1001, "server shutting down");
  });
  // Clients send nothing meaningful: a small cap keeps a hostile frame from costing memory.
  await app.register(websocket, { options: { maxPayload: 4096 } });
  const alive = new WeakMap<WebSocket, boolean>();

  const unsubscribe = feed.subscribe((frame) => {
    const bytes = Buffer.from(frame, "utf8");
    for (const socket of clients) if (socket.readyState === WebSocket.OPEN) socket.send(bytes, TEXT_FRAME);
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
    alive.set(socket, true);
    socket.on("pong", () => alive.set(socket, true));
    socket.on("close", () => clients.delete(socket));
    socket.on("error", (error) => app.log.debug({ err: error.message }, "websocket client error"));
    socket.send(JSON.stringify(feed.hello()));
    socket.send(feed.latest().json);
  });

  app.addHook("preClose", async () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
};
