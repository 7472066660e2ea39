/**
 * `npm run serve`: the aggregator (line intake + counting engine) and the web server, in one process.
 * It stops in the order that loses nothing read: intake, then the final checkpoint, then the web
 * server, whose WebSocket clients get 1001 (going away).
 */
import { join } from "node:path";
import { projectRoot } from "./project-root.ts";
import { runMain } from "./run-main.ts";
import { startServeRole } from "./serve-role.ts";

const STATIC_DIR = join(projectRoot(), "dist", "web");

await runMain("serve", async (config, log) => {
  const { aggregator, app, close } = await startServeRole(config, log, STATIC_DIR);
  const { port } = app.server.address() as { port: number };
  const shown = config.http.host === "0.0.0.0" || config.http.host === "::" ? "localhost" : config.http.host;
  log.info(
    // The interval in force: one changed at run time may have been restored from the checkpoint.
    { triggerMs: aggregator.hello().triggerMs, windows: aggregator.windows, topN: config.topN },
    `dashboard at http://${shown}:${port}/ — lines on tcp://${aggregator.intake.host}:${aggregator.intake.port}`,
  );
  return close;
});
