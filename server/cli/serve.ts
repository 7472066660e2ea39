/**
 * `npm run serve`: the aggregator (line intake + counting engine) and the web server, in one process.
 * It stops in the order that loses nothing read: intake, then the final checkpoint, then the web
 * server, whose WebSocket clients get 1001 (going away).
 */
import { fileURLToPath } from "node:url";
import { startAggregator } from "../aggregator/aggregator.ts";
import { buildApp } from "../http/app.ts";
import { runMain } from "./run-main.ts";

const STATIC_DIR = fileURLToPath(new URL("../../dist/web", import.meta.url));

await runMain("serve", async (config, log) => {
  const aggregator = await startAggregator({ config, log });
  const app = await buildApp({
    feed: aggregator,
    log,
    staticDir: STATIC_DIR,
    apiRateLimit: config.http.apiRateLimit,
    adminToken: config.adminToken,
    wsMaxBufferedBytes: config.http.wsMaxBufferedBytes,
    metrics: aggregator.metrics,
  });
  await app.listen({ host: config.http.host, port: config.http.port });
  const shown = config.http.host === "0.0.0.0" || config.http.host === "::" ? "localhost" : config.http.host;
  log.info(
    // The interval in force: one changed at run time may have been restored from the checkpoint.
    { triggerMs: aggregator.hello().triggerMs, windows: aggregator.windows, topN: config.topN },
    `dashboard at http://${shown}:${config.http.port}/ — lines on tcp://${aggregator.intake.host}:${aggregator.intake.port}`,
  );
  return async () => {
    try {
      await aggregator.close();
    } finally {
      await app.close();
    }
  };
});
