/** `GET /healthz`: liveness plus the facts an operator checks first. */
import type { FastifyPluginAsync } from "fastify";
import type { SnapshotSource } from "../../aggregator/snapshot-source.ts";

export const health: FastifyPluginAsync<{ feed: SnapshotSource }> = async (app, { feed }) => {
  const startedAt = Date.now();
  app.get("/healthz", async () => {
    const { snapshot } = feed.latest();
    return {
      status: "ok",
      epoch: snapshot.epoch,
      at: snapshot.at,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      ingestors: snapshot.stats.ingestors,
    };
  });
};
