/**
 * `GET /healthz`: liveness plus the facts an operator checks first.
 *
 * While checkpoints fail (a full disk, an I/O error) the status is "degraded" and `checkpoint`
 * says why; it is "ok" again after the next successful write. The answer stays 200: the process
 * still counts and serves, and a liveness probe that restarted it would only throw away the counts
 * since the last checkpoint, which is what the failing writes put at risk. Alert on the status (or
 * on `tagstream_checkpoint_failures_total`) instead.
 *
 * A web node (which relays snapshots from the replicas) adds `relay`: the replica whose copy it
 * serves and its epoch, and "degraded" while its connection to them is lost (it still serves the
 * last snapshot it has).
 */
import type { FastifyPluginAsync } from "fastify";
import type { SnapshotSource } from "../../aggregator/snapshot-source.ts";

export const health: FastifyPluginAsync<{ feed: SnapshotSource }> = async (app, { feed }) => {
  const startedAt = Date.now();
  app.get("/healthz", async () => {
    const { snapshot } = feed.latest();
    const checkpoint = feed.checkpoint?.();
    const relay = feed.relay?.();
    const cluster = feed.cluster?.();
    return {
      status: checkpoint?.state === "failing" || relay?.connected === false ? "degraded" : "ok",
      epoch: snapshot.epoch,
      at: snapshot.at,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      ingestors: snapshot.stats.ingestors,
      ...(checkpoint !== undefined && { checkpoint }),
      ...(relay !== undefined && { relay }),
      ...(cluster !== undefined && { cluster }),
    };
  });
};
