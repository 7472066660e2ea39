/**
 * Where the ingestor's events come from: live Mastodon servers, one connection each. Each event
 * goes to the pipeline, tagged with the server it came through.
 */
import type { Source } from "../../shared/messages.ts";
import type { MastodonStream } from "../config/mastodon-stream.ts";
import type { Logger } from "../log/logger.ts";
import type { BackoffPolicy } from "./backoff.ts";
import type { IngestPipeline } from "./ingest-pipeline.ts";
import type { IngestStats } from "./ingest-stats.ts";
import { followMastodonStream } from "./mastodon-stream-follower.ts";
import { discoverInstance } from "./streaming-url.ts";

export interface MastodonTarget {
  /** The REST URL, `https://host`. */
  readonly instanceUrl: string;
  readonly token: string | undefined;
  /** Skips discovery when set. */
  readonly streamingUrl?: string | undefined;
  /** The server's name (its domain); discovered when omitted, else the URL's host. */
  readonly instanceName?: string | undefined;
}

export interface IngestInput {
  readonly kind: "live";
  readonly targets: readonly MastodonTarget[];
  readonly stream: MastodonStream;
  readonly source: Source;
}

export interface InputContext {
  readonly backoff: BackoffPolicy;
  readonly silenceTimeoutMs: number;
  readonly signal: AbortSignal;
  readonly stats: IngestStats;
  readonly log: Logger;
}

export interface StartedInput {
  readonly source: Source;
  readonly instances: readonly string[];
  /** Feeds the pipeline until stopped or played out; rejects on a failure reconnecting cannot fix. */
  run(pipeline: IngestPipeline): Promise<void>;
  close(): Promise<void>;
}

export function startInput(input: IngestInput, context: InputContext): Promise<StartedInput> {
  return startLive(input, context);
}

interface ResolvedTarget extends MastodonTarget {
  readonly name: string;
  readonly streamingUrl: string;
}

async function resolveTarget(target: MastodonTarget): Promise<ResolvedTarget> {
  const host = new URL(target.instanceUrl).host;
  if (target.streamingUrl !== undefined) return { ...target, streamingUrl: target.streamingUrl, name: target.instanceName ?? host };
  const discovered = await discoverInstance(target.instanceUrl);
  return { ...target, streamingUrl: discovered.streamingUrl, name: target.instanceName ?? discovered.domain };
}

async function startLive(input: IngestInput, context: InputContext): Promise<StartedInput> {
  const { stats, log, signal } = context;
  const targets = await Promise.all(input.targets.map(resolveTarget));
  const instances = targets.map((target) => target.name);
  let following: Array<Promise<void>> = [];
  return {
    source: input.source,
    instances,
    run(pipeline) {
      following = targets.map((target) =>
        followMastodonStream(
          {
            instanceUrl: target.instanceUrl,
            streamingUrl: target.streamingUrl,
            token: target.token,
            stream: input.stream,
            signal,
            silenceTimeoutMs: context.silenceTimeoutMs,
            backoff: context.backoff,
            onEvent: (event) => pipeline.handle(target.name, event, Date.now()),
            onConnection: (open) => (stats.connected += open ? 1 : -1),
            onReconnect: () => stats.reconnects++,
          },
          log.child({ instance: target.name }),
        ),
      );
      return Promise.all(following).then(() => undefined);
    },
    async close() {
      await Promise.allSettled(following);
    },
  };
}
