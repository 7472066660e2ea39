/**
 * Rate limiting for the REST API (per client address), so a runaway poller cannot starve the
 * tick loop. The dashboard's files, its WebSocket and the health check are not limited.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";

export interface ApiRateLimitOptions {
  /** Requests a client may make to `/api/*` per minute. */
  readonly perMinute: number;
}

const plugin: FastifyPluginAsync<ApiRateLimitOptions> = async (app, { perMinute }) => {
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    allowList: (request) => !request.url.startsWith("/api/"),
  });
};

export const apiRateLimit = fp(plugin, { name: "api-rate-limit" });
