/**
 * Security headers via @fastify/helmet, with a Content-Security-Policy that allows only the app's
 * own scripts, styles and connections (the built dashboard has no inline script and no eval).
 *
 * `upgrade-insecure-requests` and HSTS are left out on purpose: a wall display is often served
 * over plain HTTP on a LAN address, where upgrading would break every request.
 */
import helmet from "@fastify/helmet";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";

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
        "connect-src": ["'self'"],
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
