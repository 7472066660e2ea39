/**
 * What `serve` runs, as one function: the aggregator and the HTTP app that serves its snapshots,
 * wired from the config. With NATS_URL the aggregator is a replica that counts the stream
 * (aggregator/replica-node.ts) and keeps this HTTP API of its own. The command (serve.ts) adds the process lifecycle; the benchmark's subject
 * calls the same function, so that what it measures is the product as it runs.
 */
import type { FastifyInstance } from "fastify";
import { startAggregator, type Aggregator } from "../aggregator/aggregator.ts";
import type { Config } from "../config/config.ts";
import { buildApp } from "../http/app.ts";
import type { Logger } from "../log/logger.ts";
import { listenExplained } from "./startup-error.ts";

export interface ServeRole {
  readonly aggregator: Aggregator;
  readonly app: FastifyInstance;
  /** Intake first, then the final checkpoint, then the web server (its WebSocket clients get 1001). */
  close(): Promise<void>;
}

export async function startServeRole(config: Config, log: Logger, staticDir: string): Promise<ServeRole> {
  const { aggregator, closeAggregator } = await listenExplained(async () => {
    if (config.nats === undefined) {
      const single = await startAggregator({ config, log });
      return { aggregator: single as Aggregator, closeAggregator: () => single.close() };
    }
    // Loaded only in cluster mode: the NATS client costs ~13 MB of resident memory that one machine never needs.
    const { startReplicaNode } = await import("../aggregator/replica-node.ts");
    const node = await startReplicaNode(config, config.nats, log);
    return { aggregator: node.aggregator, closeAggregator: () => node.close() };
  }, config.ingest.port, "INGEST_PORT", "ingest-port");
  const app = await buildApp({
    feed: aggregator,
    log,
    staticDir,
    apiRateLimit: config.http.apiRateLimit,
    adminToken: config.adminToken,
    wsMaxBufferedBytes: config.http.wsMaxBufferedBytes,
    wsMaxClients: config.http.wsMaxClients,
    metrics: aggregator.metrics,
  });
  try {
    await listenExplained(() => app.listen({ host: config.http.host, port: config.http.port }), config.http.port, "HTTP_PORT", "port");
  } catch (error) {
    await closeAggregator();
    throw error;
  }
  return {
    aggregator,
    app,
    async close() {
      try {
        await closeAggregator();
      } finally {
        await app.close();
      }
    },
  };
}
