/**
 * Security headers via @fastify/helmet, with a Content-Security-Policy that allows only the app's
 * own scripts, styles and connections (the built dashboard has no inline script and no eval).
 *
 * `upgrade-insecure-requests` and HSTS are left out on purpose: a wall display is often served
 * over plain HTTP on a LAN address, where upgrading would break every request.
 *
 * A screen may name other servers to take its snapshots from (`?servers=web1:3000,web2:3000`,
 * shared/server-list.ts); the page it loads may then open WebSockets to exactly those and ask their
 * `/api/`, and nothing else: the list is read with the same parser as the page's, which admits host and port
 * only, so no other source (nor another directive) can be slipped into the policy.
 */
import type { IncomingMessage } from "node:http";
import helmet from "@fastify/helmet";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { apiOriginOf, parseServerList, socketUrlOf } from "../../../shared/server-list.ts";

/**
 * `connect-src`: the page's own origin, and of each server the request's `servers` parameter
 * lists, its snapshot socket and its REST API (a screen asks the server it is connected to).
 */
export function connectSources(request: Pick<IncomingMessage, "url">): string {
  const query = request.url?.split("?")[1];
  const text = query === undefined ? null : new URLSearchParams(query).get("servers");
  const sockets = text === null ? [] : parseServerList(text).servers.flatMap((server) => [socketUrlOf(server, false), socketUrlOf(server, true)]);
  const listed = sockets.flatMap((socket) => [socket, `${apiOriginOf(socket)}/api/`]);
  return ["'self'", ...listed].join(" ");
}

const plugin: FastifyPluginAsync = async (app) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": [(request: IncomingMessage) => connectSources(request)],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    strictTransportSecurity: false,
  });
};

// Not encapsulated: the headers apply to every route of the app.
export const securityHeaders = fp(plugin, { name: "security-headers" });
