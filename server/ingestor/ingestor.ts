/**
 * The ingestor: one Mastodon stream in, one line per status out to the aggregator.
 *
 * It knows nothing of the aggregator but its address and the shared line protocol; the two meet
 * only on the socket.
 */
import { encodeHelloLine, encodeTagLine } from "../../shared/line-protocol.ts";
import type { Source } from "../../shared/messages.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import { LineSender, type LineSenderStats } from "./line-sender.ts";
import { followMastodonStream, type StreamEvent } from "./mastodon-stream-follower.ts";
import { statusToTagLine } from "./status-line.ts";
import { discoverStreamingUrl } from "./streaming-url.ts";

export interface MastodonTarget {
  readonly instanceUrl: string;
  readonly token: string;
  /** Skips discovery when set. */
  readonly streamingUrl?: string | undefined;
  readonly source: Source;
  /** How the dashboard names where posts come from; defaults to the instance URL's host. */
  readonly instanceName?: string;
}

export interface IngestorCounters {
  statuses: number;
  tagged: number;
  tags: number;
  /** `status.update` and `delete` events, not applied yet. */
  ignored: number;
  reconnects: number;
}

export interface Ingestor {
  readonly counters: Readonly<IngestorCounters>;
  readonly sender: LineSenderStats;
  /** Resolves when the stream is stopped. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface IngestorOptions {
  readonly target: MastodonTarget;
  readonly config: Pick<Config, "ingest" | "mastodon">;
  readonly log: Logger;
  /** How often a progress line is logged (default 30 s; 0 disables). */
  readonly reportEveryMs?: number;
  /** Reconnect policy towards the aggregator and the Mastodon server (default 250 ms .. 30 s). */
  readonly backoff?: BackoffPolicy;
}

export async function startIngestor({ target, config, log, reportEveryMs = 30_000, backoff = DEFAULT_BACKOFF }: IngestorOptions): Promise<Ingestor> {
  const streamingUrl = target.streamingUrl ?? (await discoverStreamingUrl(target.instanceUrl));
  const instance = target.instanceName ?? new URL(target.instanceUrl).host;
  const sender = new LineSender(
    {
      host: config.ingest.host,
      port: config.ingest.port,
      maxQueueLines: config.ingest.queueLines,
      helloLine: encodeHelloLine({ source: target.source, instances: [instance] }),
      backoff,
    },
    log,
  );
  const counters: IngestorCounters = { statuses: 0, tagged: 0, tags: 0, ignored: 0, reconnects: 0 };

  const onEvent = (event: StreamEvent): void => {
    if (event.event !== "update") {
      counters.ignored++;
      return;
    }
    const line = statusToTagLine(event.payload);
    counters.statuses++;
    if (line.tags.length > 0) counters.tagged++;
    counters.tags += line.tags.length;
    sender.send(encodeTagLine(line));
  };

  const abort = new AbortController();
  const report =
    reportEveryMs > 0
      ? setInterval(() => log.info({ ...counters, ...sender.stats }, "ingest progress"), reportEveryMs)
      : undefined;
  report?.unref();

  const done = followMastodonStream(
    {
      streamingUrl,
      token: target.token,
      stream: config.mastodon.stream,
      signal: abort.signal,
      backoff,
      onReconnect: () => counters.reconnects++,
    },
    onEvent,
    log,
  );

  return {
    counters,
    get sender() {
      return sender.stats;
    },
    done,
    async stop() {
      abort.abort();
      clearInterval(report);
      await done;
      await sender.close();
    },
  };
}
