/** `GET /metrics`: the Prometheus text exposition of the aggregator's registry. */
import type { FastifyPluginAsync } from "fastify";
import type { Registry } from "prom-client";

export const metricsEndpoint: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
  app.get("/metrics", async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
};
