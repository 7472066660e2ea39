/**
 * Builds the HTTP/WebSocket application. It never listens: `server/cli/serve.ts` does, and tests
 * call `inject()` or listen on port 0 themselves.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "../log/logger.ts";
import type { Registry } from "prom-client";
import { frameworkErrors, notFound, schemaErrorFormatter } from "./error-replies.ts";
import { apiRateLimit } from "./plugins/api-rate-limit.ts";
import { configApi } from "./plugins/config-api.ts";
import { dashboardStatic } from "./plugins/dashboard-static.ts";
import { health } from "./plugins/health.ts";
import { metricsEndpoint } from "./plugins/metrics-endpoint.ts";
import { securityHeaders } from "./plugins/security-headers.ts";
import { snapshotSocket, type SocketMetrics } from "./plugins/snapshot-socket.ts";
import { topApi } from "./plugins/top-api.ts";
import { SourceUnavailableError, type SnapshotSource } from "../aggregator/snapshot-source.ts";

export interface AppOptions {
  readonly feed: SnapshotSource;
  readonly log: Logger;
  /** Directory of the built dashboard (`vite build` output). */
  readonly staticDir: string;
  /** Interval of the WebSocket ping that finds dead peers (default 30 s). */
  readonly heartbeatMs?: number;
  /** Requests per minute a client may make to `/api/*` (default 600). */
  readonly apiRateLimit?: number;
  /** Bearer token for `PUT /api/config`; without one, run-time changes are disabled (403). */
  readonly adminToken?: string | undefined;
  /** Bytes sent to one WebSocket client and not yet read, past which it is dropped (default 4 MiB). */
  readonly wsMaxBufferedBytes?: number;
  /** WebSocket clients connected at once; one more is closed with 1013 (default 500). */
  readonly wsMaxClients?: number;
  /** The process's metrics (the aggregator's or a web node's): served at `GET /metrics`, and fed by the WebSocket. */
  readonly metrics?: (SocketMetrics & { readonly registry: Registry }) | undefined;
}

export async function buildApp({
  feed,
  log,
  staticDir,
  heartbeatMs = 30_000,
  apiRateLimit: perMinute = 600,
  adminToken,
  wsMaxBufferedBytes = 4 * 1024 * 1024,
  wsMaxClients = 500,
  metrics,
}: AppOptions): Promise<FastifyInstance> {
  // Per-request logs would drown the useful ones on a dashboard that is polled and kept open.
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false } },
    schemaErrorFormatter,
    frameworkErrors,
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    // Not a fault of this process: the client may retry, and should know why it failed.
    if (error instanceof SourceUnavailableError) {
      request.log.warn({ err: error.message }, "answer unavailable");
      return reply.code(503).send({ error: error.message });
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.code(status).send({ error: "internal server error" });
    }
    return reply.code(status).send({ error: error.message });
  });
  app.setNotFoundHandler(notFound);

  await app.register(securityHeaders);
  await app.register(apiRateLimit, { perMinute });
  await app.register(health, { feed });
  await app.register(topApi, { feed });
  await app.register(configApi, { feed, adminToken });
  await app.register(snapshotSocket, { feed, heartbeatMs, maxBufferedBytes: wsMaxBufferedBytes, maxClients: wsMaxClients, metrics });
  if (metrics !== undefined) await app.register(metricsEndpoint, { registry: metrics.registry });
  await app.register(dashboardStatic, { root: staticDir });
  return app;
}
