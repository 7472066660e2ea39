/**
 * `npm run web`: a web node. It serves the dashboard, `/wall`, `/ws` and the REST API like `serve`,
 * from snapshots the aggregator replicas send over NATS, holding no counts itself: any number of
 * them can stand side by side behind a load balancer or in a screen's list of servers, and one
 * that dies costs its screens a reconnection. It needs NATS_URL.
 *
 * It listens once it has a snapshot (the cluster keeps the latest, so normally at once), so a
 * screen never sees an empty page from it. It stops in the order that loses nothing: the web
 * server first (its WebSocket clients get 1001 and reconnect elsewhere), then the NATS connection.
 */
import { join } from "node:path";
import { buildApp } from "../http/app.ts";
import { connectNats } from "../nats/nats-connection.ts";
import { openLatestBucket } from "../nats/stream-setup.ts";
import { relaySnapshots } from "../web-node/relayed-snapshot-source.ts";
import { WebNodeMetrics } from "../web-node/web-node-metrics.ts";
import { projectRoot } from "./project-root.ts";
import { runMain } from "./run-main.ts";
import { listenExplained, StartupError } from "./startup-error.ts";

const STATIC_DIR = join(projectRoot(), "dist", "web");
/** How often the wait for a first snapshot says it is still waiting. */
const WAITING_NOTICE_MS = 10_000;

await runMain("web", async (config, log) => {
  const nats = config.nats;
  if (nats === undefined) {
    throw new StartupError(
      "NATS_URL is not set: a web node serves the snapshots replicas send over NATS; give the cluster's servers with NATS_URL or --nats (e.g. nats://10.0.0.5:4222)",
      "NO_NATS",
    );
  }
  const connection = await connectNats(nats, "tagstream-web", log);
  const latestBucket = await openLatestBucket(connection, nats);
  const metrics = new WebNodeMetrics();
  const feed = relaySnapshots({ connection, latestBucket, stream: nats.stream, metrics, log });
  const waiting = setInterval(() => log.warn({ stream: nats.stream }, "no snapshot yet: waiting for a replica (npm run serve with NATS_URL)"), WAITING_NOTICE_MS);
  await feed.ready.finally(() => clearInterval(waiting));

  const app = await buildApp({
    feed,
    log,
    staticDir: STATIC_DIR,
    apiRateLimit: config.http.apiRateLimit,
    adminToken: config.adminToken,
    wsMaxBufferedBytes: config.http.wsMaxBufferedBytes,
    wsMaxClients: config.http.wsMaxClients,
    metrics,
  });
  const close = async (): Promise<void> => {
    try {
      await app.close();
      await feed.close();
    } finally {
      await connection.close();
    }
  };
  try {
    await listenExplained(() => app.listen({ host: config.http.host, port: config.http.port }), config.http.port, "HTTP_PORT", "port");
  } catch (error) {
    await close();
    throw error;
  }
  const { port } = app.server.address() as { port: number };
  const shown = config.http.host === "0.0.0.0" || config.http.host === "::" ? "localhost" : config.http.host;
  const { epoch, replica } = feed.relay();
  log.info({ stream: nats.stream, epoch, replica }, `web node at http://${shown}:${port}/`);
  return close;
});
