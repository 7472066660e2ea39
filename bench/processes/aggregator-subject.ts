/**
 * The subject under test: the real aggregator (TCP line intake, counting engine, trigger loop) and,
 * when asked, the real HTTP/WebSocket app fed by it, configured through the real config module.
 */
import { loadConfig } from "../../server/config/config.ts";
import { startAggregator } from "../../server/aggregator/aggregator.ts";
import { buildApp } from "../../server/http/app.ts";
import pino from "pino";
import { childOptions, onParent, tell } from "../support/child.ts";
import { serveProbes } from "../support/subject-probes.ts";

interface Options {
  /** Environment the config is read from: WINDOWS, TRIGGER_INTERVAL, ENGINE_CAPACITY... */
  readonly env: Record<string, string>;
  /** Also serve the WebSocket/REST app. */
  readonly http?: boolean;
}

const options = childOptions<Options>();
const config = loadConfig({ env: { INGEST_PORT: "0", HTTP_PORT: "0", ...options.env } });
const log = pino({ level: "silent" });
// No checkpoints: a benchmark measures counting, and must not start from an earlier run's state.
const aggregator = await startAggregator({ config: { ...config, checkpoint: undefined }, log });
const app = options.http ? await buildApp({ feed: aggregator, log, staticDir: "/nonexistent" }) : undefined;
await app?.listen({ host: "127.0.0.1", port: 0 });
const httpPort = app ? (app.server.address() as { port: number }).port : 0;

serveProbes(() => aggregator.ingested().tags);
onParent("top", (message) => {
  tell({ type: "top", top: aggregator.top(String(message.window), Number(message.n))?.top ?? [] });
});
onParent("stop", async () => {
  await aggregator.close();
  await app?.close();
  process.exit(0);
});
tell({ type: "ready", ingestPort: aggregator.intake.port, httpPort });
