/**
 * The subject under test: the product as `npm run serve` runs it — the same wiring (serve-role.ts:
 * TCP line intake, counting engine, trigger loop, HTTP and WebSocket app), configured through the
 * real config module, with checkpoints at the configured interval (default 30 s) into a fresh
 * temporary STATE_DIR, so that a benchmark neither starts from an earlier run's state nor leaves one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { loadConfig } from "../../server/config/config.ts";
import { startServeRole } from "../../server/cli/serve-role.ts";
import { childOptions, onParent, tell } from "../support/child.ts";
import { serveProbes } from "../support/subject-probes.ts";

interface Options {
  /** Environment the config is read from: WINDOWS, TRIGGER_INTERVAL, ENGINE_CAPACITY... */
  readonly env: Record<string, string>;
}

const options = childOptions<Options>();
const stateDir = mkdtempSync(join(tmpdir(), "tagstream-bench-"));
const config = loadConfig({ env: { INGEST_PORT: "0", HTTP_PORT: "0", STATE_DIR: stateDir, ...options.env } });
const { aggregator, app, close } = await startServeRole(config, pino({ level: "silent" }), "/nonexistent");
const httpPort = (app.server.address() as { port: number }).port;

serveProbes(() => aggregator.ingested().tags);
onParent("top", (message) => {
  tell({ type: "top", top: aggregator.top(String(message.window), Number(message.n))?.top ?? [] });
});
onParent("counters", () => {
  tell({ type: "counters", counters: aggregator.ingested() });
});
onParent("stop", async () => {
  await close();
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(0);
});
tell({ type: "ready", ingestPort: aggregator.intake.port, httpPort });
