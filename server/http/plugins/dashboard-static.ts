/**
 * Serves the built dashboard, at `/` and, for the wall display, at `/wall` (the same page: it reads
 * its own path). When it was not built, both say how to build it instead of a bare 404.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";

const PAGES = ["/", "/wall"] as const;

export const dashboardStatic: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  if (!existsSync(join(root, "index.html"))) {
    app.log.warn({ root }, "dashboard not built: run `npm run build`");
    for (const path of PAGES) {
      app.get(path, async (_request, reply) =>
        reply.code(503).type("text/plain").send("The dashboard is not built. Run `npm run build`, then reload.\n"),
      );
    }
    return;
  }
  await app.register(fastifyStatic, { root, index: "index.html", wildcard: false });
  app.get("/wall", async (_request, reply) => reply.sendFile("index.html"));
};
