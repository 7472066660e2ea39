/** Serves the built dashboard. When it was not built, `/` says how to build it instead of a bare 404. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";

export const dashboardStatic: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  if (!existsSync(join(root, "index.html"))) {
    app.log.warn({ root }, "dashboard not built: run `npm run build`");
    app.get("/", async (_request, reply) =>
      reply.code(503).type("text/plain").send("The dashboard is not built. Run `npm run build`, then reload.\n"),
    );
    return;
  }
  await app.register(fastifyStatic, { root, index: "index.html", wildcard: false });
};
