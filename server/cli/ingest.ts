/**
 * `npm run ingest`: follows the Mastodon servers of MASTODON_URL and writes one line per post to
 * the aggregator, or with NATS_URL publishes it to the cluster's stream. Without any token (or with --demo) it first starts the built-in simulated
 * Mastodon server in this process and follows that one, through the same masto client and sockets
 * as a live run. `--replay FILE` plays a recording instead; `--listen PORT` serves the lines to
 * whoever connects (with `--format plain`, exactly what Spark's socket source reads).
 *
 * A failure that reconnecting cannot fix (a refused token, an unreadable recording) ends the
 * process with one plain message on stderr and exit code 1.
 */
import { runSimulatedMastodon } from "../demo/run-simulated-mastodon.ts";
import { startIngestor, type IngestInput, type IngestOutput } from "../ingestor/ingestor.ts";
import { serveIngestMetrics } from "./ingest-metrics-server.ts";
import { runMain } from "./run-main.ts";
import { listenExplained } from "./startup-error.ts";

function failWith(error: unknown): never {
  process.stderr.write(`ingest: ${(error as Error).message}\n`);
  process.exit(1);
}

await runMain("ingest", async (config, log) => {
  let demo: Awaited<ReturnType<typeof runSimulatedMastodon>> | undefined;
  let input: IngestInput;
  if (config.replay !== undefined) {
    input = { kind: "replay", ...config.replay };
  } else if (config.demo) {
    demo = await runSimulatedMastodon({
      port: 0,
      streamingPort: 0,
      postsPerSecond: config.demoServer.rate,
      seed: config.demoServer.seed,
      ...(config.demoServer.token !== undefined && { token: config.demoServer.token }),
      logger: log.child({ component: "simulated-mastodon" }),
    });
    log.warn("DEMO MODE: no MASTODON_TOKEN set; streaming from the built-in simulated Mastodon server");
    const { restUrl, token, domain } = demo.server;
    input = { kind: "live", targets: [{ instanceUrl: restUrl, token, instanceName: domain }], stream: config.mastodon.stream, source: "demo", record: config.record };
  } else {
    const targets = config.mastodon.instances.map(({ url, token, streamingUrl }) => ({ instanceUrl: url, token, streamingUrl }));
    input = { kind: "live", targets, stream: config.mastodon.stream, source: "live", record: config.record };
  }
  if (config.nats !== undefined && config.output.listenPort !== undefined) failWith(new Error("--listen and NATS_URL cannot be combined: lines go to readers of the port or to the stream"));
  const { queueLines, queueBytes } = config.ingest;
  const output: IngestOutput =
    config.output.listenPort !== undefined
      ? { kind: "listen", host: config.ingest.host, port: config.output.listenPort }
      : config.nats !== undefined
        ? { kind: "stream", settings: config.nats, queueLines, queueBytes }
        : { kind: "aggregator", host: config.ingest.host, port: config.ingest.port, queueLines, queueBytes, token: config.ingest.token };

  // Only a listening output (--listen) binds a port.
  const ingestor = await listenExplained(() => startIngestor({
    input,
    output,
    format: config.output.format,
    filters: config.filters,
    memory: config.postMemory,
    silenceTimeoutMs: config.mastodon.silenceTimeoutMs,
    backoff: config.reconnect,
    log,
  }), config.output.listenPort ?? 0, "INGEST_LISTEN", "listen").catch(async (error: unknown) => {
    await demo?.close();
    failWith(error);
  });
  const metricsPort = config.metricsPort;
  const metrics =
    metricsPort === undefined
      ? undefined
      : await listenExplained(() => serveIngestMetrics(ingestor, config.http.host, metricsPort), metricsPort, "INGEST_METRICS_PORT", "metrics-port").catch(async (error: unknown) => {
          await ingestor.stop();
          await demo?.close();
          failWith(error);
        });
  if (metrics !== undefined) log.info({ host: config.http.host, port: metricsPort }, "ingest metrics at /metrics");
  const stop = async (): Promise<void> => {
    await metrics?.close();
    await ingestor.stop();
    await demo?.close();
  };
  ingestor.done.then(
    async () => {
      // A live run ends only when stopped; a replay ends when the recording does.
      if (input.kind !== "replay") return;
      await stop();
      process.exit(0);
    },
    async (error: unknown) => {
      await stop();
      failWith(error);
    },
  );
  return stop;
});
