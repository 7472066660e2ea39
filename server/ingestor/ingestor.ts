/**
 * The ingestor: Mastodon streams in (one connection per server, or a recording played back), one
 * line per post out, to the aggregator, to readers of its own port, or to the cluster's stream.
 *
 * It knows nothing of the aggregator but its address and the shared line protocol; the two meet
 * only on the socket, or in the stream.
 */
import type { ExpiringMapLimits } from "../../shared/expiring-map.ts";
import { encodeHelloLine, encodeStatsLine } from "../../shared/line-protocol.ts";
import type { IngestReport, Source } from "../../shared/messages.ts";
import { DEFAULT_POST_MEMORY } from "../config/ingest-settings.ts";
import { DEFAULT_QUEUE_BYTES } from "../config/line-socket-settings.ts";
import type { NatsSettings } from "../config/nats-settings.ts";
import { NO_FILTERS, type PostFilterSettings } from "../config/post-filters.ts";
import type { Logger } from "../log/logger.ts";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "../../shared/backoff.ts";
import { IngestPipeline } from "./ingest-pipeline.ts";
import { IngestStats, progressFields } from "./ingest-stats.ts";
import { startInput, type IngestInput } from "./ingest-input.ts";
import type { LineOutput, LineOutputStats } from "./output/line-output.ts";
import { LineSender } from "./output/line-sender.ts";
import { LineServer } from "./output/line-server.ts";
import type { StreamPublisher } from "../nats/stream-publisher.ts";
import { createPostFilter } from "./posts/post-filter.ts";
import { createPostWriter, type LineFormat } from "./output/post-line-writer.ts";
import { PostTracker } from "./posts/post-tracker.ts";

export type { IngestInput, MastodonTarget } from "./ingest-input.ts";

export type IngestOutput =
  | {
      readonly kind: "aggregator";
      readonly host: string;
      readonly port: number;
      readonly queueLines: number;
      /** Default 64 MiB. */
      readonly queueBytes?: number;
      /** INGEST_TOKEN, sent as `AUTH <token>` first on every connection. */
      readonly token?: string | undefined;
    }
  | { readonly kind: "listen"; readonly host: string; readonly port: number }
  | {
      /** NATS_URL: each line published to the cluster's stream, kept until acknowledged. */
      readonly kind: "stream";
      readonly settings: NatsSettings;
      readonly queueLines: number;
      /** Default 64 MiB. */
      readonly queueBytes?: number;
      /** Publishes awaiting their ack at once (default 512). */
      readonly maxInFlight?: number;
      /** Default 5 s. */
      readonly ackTimeoutMs?: number;
    };

export interface IngestorOptions {
  readonly input: IngestInput;
  readonly output: IngestOutput;
  /** Default `json`. */
  readonly format?: LineFormat;
  /** Default: none. */
  readonly filters?: PostFilterSettings;
  /** How many posts, for how long, are remembered (duplicates, edits, deletes). */
  readonly memory?: ExpiringMapLimits;
  /** Default 75 s: above Mastodon's 30 s ping period. */
  readonly silenceTimeoutMs?: number;
  /** Reconnect policy towards the aggregator and the Mastodon servers (default 250 ms .. 30 s). */
  readonly backoff?: BackoffPolicy;
  readonly log: Logger;
  /** How often a progress line is logged (default 30 s; 0 disables). */
  readonly reportEveryMs?: number;
  /** How often the figures are sent to the aggregator (default 5 s; 0 disables). */
  readonly statsEveryMs?: number;
}

export interface Ingestor {
  readonly stats: IngestStats;
  readonly output: LineOutputStats;
  /** The figures as the aggregator receives them. */
  report(): IngestReport;
  /** The servers followed (or recorded), by name. */
  readonly instances: readonly string[];
  readonly source: Source;
  /** The port readers connect to, with `listen` output. */
  readonly listenPort: number | undefined;
  /** Settles when the input ends: stopped, a replay played out, or a fatal error (rejects). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export async function startIngestor(options: IngestorOptions): Promise<Ingestor> {
  const { log, format = "json" } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const abort = new AbortController();
  const stats = new IngestStats();
  const input = await startInput(options.input, {
    backoff,
    silenceTimeoutMs: options.silenceTimeoutMs ?? 75_000,
    signal: abort.signal,
    stats,
    log,
  });
  const hello = format === "json" ? encodeHelloLine({ source: input.source, instances: input.instances }) : undefined;
  const output = await openOutput(options.output, hello, backoff, log);
  const pipeline = new IngestPipeline(
    new PostTracker(options.memory ?? DEFAULT_POST_MEMORY),
    createPostFilter(options.filters ?? NO_FILTERS),
    createPostWriter(format, output),
    stats,
  );
  const report = (): IngestReport => stats.report(output.stats);

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, run: () => void): void => {
    if (ms > 0) timers.push(setInterval(run, ms).unref());
  };
  stats.sampleRates(Date.now());
  every(options.statsEveryMs ?? 5_000, () => {
    stats.sampleRates(Date.now());
    if (format === "json") output.sendIfConnected(encodeStatsLine(report()));
  });
  every(options.reportEveryMs ?? 30_000, () => log.info(progressFields(stats, output.stats), "ingest progress"));

  // Like the textbook's streamer, a listening ingestor starts streaming once someone reads.
  const readerReady = output instanceof LineServer ? Promise.race([output.waitForReader(), aborted(abort.signal)]) : Promise.resolve();
  if (output instanceof LineServer) log.info({ port: output.port }, "waiting for a reader before streaming");
  const done = readerReady.then(() => (abort.signal.aborted ? undefined : input.run(pipeline)));
  done.catch(() => abort.abort());

  let stopped: Promise<void> | undefined;
  return {
    stats,
    get output() {
      return output.stats;
    },
    report,
    instances: input.instances,
    source: input.source,
    listenPort: output instanceof LineServer ? output.port : undefined,
    done,
    stop() {
      stopped ??= (async () => {
        abort.abort();
        for (const timer of timers) clearInterval(timer);
        await done.catch(() => {});
        await input.close();
        await output.close();
      })();
      return stopped;
    },
  };
}

async function openOutput(output: IngestOutput, hello: string | undefined, backoff: BackoffPolicy, log: Logger): Promise<LineOutput> {
  if (output.kind === "listen") return LineServer.start({ host: output.host, port: output.port, greeting: hello }, log);
  if (output.kind === "stream") {
    const { settings, queueLines, queueBytes = DEFAULT_QUEUE_BYTES, maxInFlight, ackTimeoutMs } = output;
    // Loaded only in cluster mode: the NATS client costs ~13 MB of resident memory a TCP ingestor never needs.
    const { StreamPublisher } = await import("../nats/stream-publisher.ts");
    return StreamPublisher.connect(
      settings,
      { maxQueueLines: queueLines, maxQueueBytes: queueBytes, helloLine: hello, backoff, ...(maxInFlight !== undefined && { maxInFlight }), ...(ackTimeoutMs !== undefined && { ackTimeoutMs }) },
      log,
    );
  }
  const { host, port, queueLines, queueBytes = DEFAULT_QUEUE_BYTES, token } = output;
  return new LineSender({ host, port, maxQueueLines: queueLines, maxQueueBytes: queueBytes, token, helloLine: hello, backoff }, log);
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
