/**
 * The ingestor's HTTP face, only when INGEST_METRICS_PORT is set: `/metrics` for Prometheus and
 * `/healthz` (ok while its output is connected, degraded with the reason otherwise), so that an
 * ingestor on its own host can be watched like every other role.
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { Ingestor } from "../ingestor/ingestor.ts";
import type { StreamPublisherStats } from "../nats/stream-publisher.ts";
import { ingestMetricsRegistry } from "../metrics/ingest-metrics.ts";

export async function serveIngestMetrics(ingestor: Ingestor, host: string, port: number): Promise<FastifyInstance> {
  const streamStats = (): StreamPublisherStats["stream"] | undefined => ("stream" in ingestor.output ? (ingestor.output as StreamPublisherStats).stream : undefined);
  const registry = ingestMetricsRegistry({ report: () => ingestor.report(), stream: streamStats });
  const app = Fastify({ logger: false });
  app.get("/metrics", async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  app.get("/healthz", async () => {
    const { connected, queued, dropped } = ingestor.output;
    return {
      status: connected ? "ok" : "degraded",
      ...(!connected && { reason: "the output (aggregator or stream) is not reachable: lines are queued" }),
      source: ingestor.source,
      instances: ingestor.instances,
      queued,
      dropped,
    };
  });
  await app.listen({ host, port });
  return app;
}
