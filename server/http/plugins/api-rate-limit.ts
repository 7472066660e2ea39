/**
 * Rate limiting for the REST API (per client address), so a runaway poller cannot starve the
 * tick loop and a token cannot be guessed online. The dashboard's files, its WebSocket and the
 * health check are not limited.
 *
 * Whether a request is limited is decided by the route it matched, never by its raw URL: the
 * router decodes the path, so `/%61pi/config` reaches `/api/config` while its URL does not start
 * with `/api/`.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import fp from "fastify-plugin";

export interface ApiRateLimitOptions {
  /** Requests a client may make to `/api/*` per minute. */
  readonly perMinute: number;
}

/** True when the request matched one of the API's routes, however its path was spelled. */
function isApiRoute(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith("/api/") === true;
}

const plugin: FastifyPluginAsync<ApiRateLimitOptions> = async (app, { perMinute }) => {
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    allowList: (request) => !isApiRoute(request),
  });
};

export const apiRateLimit = fp(plugin, { name: "api-rate-limit" });
