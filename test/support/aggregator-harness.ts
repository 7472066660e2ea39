/** Starts a real aggregator (TCP intake) and HTTP/WebSocket app on port 0, for integration tests. */
import net from "node:net";
import { once } from "node:events";
import type { FastifyInstance } from "fastify";
import { startAggregator, type Aggregator } from "../../server/aggregator/aggregator.ts";
import type { WindowSpec } from "../../shared/window-spec.ts";
import { buildApp } from "../../server/http/app.ts";
import type { Logger } from "../../server/log/logger.ts";
import type { AggregatorMetrics } from "../../server/metrics/aggregator-metrics.ts";
import { testLineSocket } from "./line-socket.ts";
import { silentLogger } from "./silent-logger.ts";
import { waitUntil } from "./wait-until.ts";

export interface Harness {
  readonly aggregator: Aggregator;
  readonly app: FastifyInstance;
  /** The metrics behind `GET /metrics`, when asked for. */
  readonly metrics: AggregatorMetrics | undefined;
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** Writes raw bytes to a fresh TCP connection and waits until the server has read them all. */
  sendLines(data: string | Buffer): Promise<void>;
  /**
   * Connects as an ingestor does and stays connected (until the harness closes), writing `lines`
   * (e.g. a `hello` or `stats` op) first; resolves once the aggregator counts the connection.
   */
  connectIngestor(lines?: string): Promise<net.Socket>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly windows?: readonly WindowSpec[];
  readonly topN?: number;
  readonly triggerMs?: number;
  readonly autoTick?: boolean;
  readonly clock?: () => number;
  readonly staticDir?: string;
  /** Line intake port (default 0: any free port). */
  readonly ingestPort?: number;
  /** HTTP port (default 0: any free port); a fixed one lets a test restart the server in place. */
  readonly httpPort?: number;
  readonly adminToken?: string;
  /** Line intake limits and token (defaults as in production: 64 connections, 5 min, none). */
  readonly ingestMaxConnections?: number;
  readonly ingestIdleTimeoutMs?: number;
  readonly ingestLineTimeoutMs?: number;
  readonly ingestToken?: string;
  /** Where the aggregator and the app log (default: nowhere). */
  readonly log?: Logger;
  /** Serve `GET /metrics` (default false). */
  readonly metrics?: boolean;
  readonly heartbeatMs?: number;
  readonly wsMaxBufferedBytes?: number;
  readonly wsMaxClients?: number;
  readonly title?: string;
  /** Keep tops of these languages (default: none). */
  readonly languages?: { readonly kind: "list"; readonly codes: readonly string[] } | { readonly kind: "auto"; readonly busiest: number };
  /** Count by event time with this lateness (default: arrival time). */
  readonly eventTime?: { readonly allowedLatenessMs: number };
  /** Score trends with these settings (default: accounts only, no trend). */
  readonly trend?: { readonly windowMs: number; readonly baselineMs: number; readonly threshold: number; readonly halfLifeMs: number };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const aggregator = await startAggregator({
    config: {
      ingest: testLineSocket({
        port: options.ingestPort ?? 0,
        token: options.ingestToken,
        ...(options.ingestMaxConnections !== undefined && { maxConnections: options.ingestMaxConnections }),
        ...(options.ingestIdleTimeoutMs !== undefined && { idleTimeoutMs: options.ingestIdleTimeoutMs }),
        ...(options.ingestLineTimeoutMs !== undefined && { lineTimeoutMs: options.ingestLineTimeoutMs }),
      }),
      triggerMs: options.triggerMs ?? 10_000,
      windows: options.windows ?? [{ kind: "sliding", lengthMs: 15 * 60_000 }, { kind: "complete" }],
      topN: options.topN ?? 20,
      title: options.title,
      ...(options.trend !== undefined && { trend: options.trend }),
      ...(options.eventTime !== undefined && { eventTime: options.eventTime }),
      ...(options.languages !== undefined && { languages: options.languages }),
    },
    log: options.log ?? silentLogger,
    autoTick: options.autoTick ?? false,
    ...(options.clock && { clock: options.clock }),
  });
  const metrics = options.metrics === true ? aggregator.metrics : undefined;
  const app = await buildApp({
    feed: aggregator,
    log: options.log ?? silentLogger,
    staticDir: options.staticDir ?? "/nonexistent",
    adminToken: options.adminToken,
    metrics,
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    ...(options.wsMaxBufferedBytes !== undefined && { wsMaxBufferedBytes: options.wsMaxBufferedBytes }),
    ...(options.wsMaxClients !== undefined && { wsMaxClients: options.wsMaxClients }),
  });
  await app.listen({ host: "127.0.0.1", port: options.httpPort ?? 0 });
  const { port } = app.server.address() as net.AddressInfo;

  const ingestors: net.Socket[] = [];
  return {
    aggregator,
    app,
    metrics,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async sendLines(data) {
      const socket = net.createConnection(aggregator.intake.port, "127.0.0.1");
      await once(socket, "connect");
      socket.end(data);
      // The server closes its side after reading our FIN: then every byte has been processed.
      await once(socket, "close");
    },
    async connectIngestor(lines = "") {
      const before = aggregator.stats.connections;
      const socket = net.createConnection(aggregator.intake.port, "127.0.0.1");
      socket.on("error", () => {});
      ingestors.push(socket);
      await once(socket, "connect");
      if (lines !== "") socket.write(lines);
      await waitUntil(() => aggregator.stats.connections > before);
      return socket;
    },
    async close() {
      for (const socket of ingestors.splice(0)) socket.destroy();
      await aggregator.close();
      await app.close();
    },
  };
}
