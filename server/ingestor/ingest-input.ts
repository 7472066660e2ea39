/**
 * Where the ingestor's events come from: live Mastodon servers, one connection each (and, with
 * `--record`, every frame written down as received), or a recording played back. Either way each
 * event goes to the same pipeline, tagged with the server it came through.
 */
import type { Source } from "../../shared/messages.ts";
import { describeMastodonStream, type MastodonStream } from "../config/mastodon-stream.ts";
import type { Logger } from "../log/logger.ts";
import { backoffDelay, type BackoffPolicy, waitBeforeRetry } from "../../shared/backoff.ts";
import { FrameRecorder } from "./replay/frame-recorder.ts";
import type { IngestPipeline } from "./ingest-pipeline.ts";
import type { IngestStats } from "./ingest-stats.ts";
import { silentHashtagWarning } from "./mastodon/hashtag-channel.ts";
import { followMastodonStream } from "./mastodon/mastodon-stream-follower.ts";
import { openRecording, playRecording } from "./replay/replay-source.ts";
import { discoverInstance, StreamingUrlError } from "./mastodon/streaming-url.ts";

export interface MastodonTarget {
  /** The REST URL, `https://host`. */
  readonly instanceUrl: string;
  readonly token: string | undefined;
  /** Skips discovery when set. */
  readonly streamingUrl?: string | undefined;
  /** The server's name (its domain); discovered when omitted, else the URL's host. */
  readonly instanceName?: string | undefined;
}

export type IngestInput =
  | {
      readonly kind: "live";
      readonly targets: readonly MastodonTarget[];
      readonly stream: MastodonStream;
      readonly source: Source;
      /** `--record FILE`. */
      readonly record?: string | undefined;
    }
  | { readonly kind: "replay"; readonly file: string; readonly speed: number };

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
  return input.kind === "live" ? startLive(input, context) : startReplay(input, context);
}

interface ResolvedTarget extends MastodonTarget {
  readonly name: string;
  readonly streamingUrl: string;
}

/**
 * The target with its streaming URL and name. A server that cannot be reached for now is asked
 * again with backoff, each failure logged with its cause, until it answers or the ingestor stops:
 * a network hiccup at start must not end the product (under `npm start`, the dashboard with it).
 */
async function resolveTarget(target: MastodonTarget, context: InputContext): Promise<ResolvedTarget | undefined> {
  const host = new URL(target.instanceUrl).host;
  if (target.streamingUrl !== undefined) return { ...target, streamingUrl: target.streamingUrl, name: target.instanceName ?? host };
  for (let attempt = 0; !context.signal.aborted; attempt++) {
    try {
      const discovered = await discoverInstance(target.instanceUrl);
      return { ...target, streamingUrl: discovered.streamingUrl, name: target.instanceName ?? discovered.domain };
    } catch (error) {
      if (!(error instanceof StreamingUrlError) || !error.transient) throw error;
      const delayMs = backoffDelay(attempt, context.backoff);
      context.log.warn({ instance: host, cause: error.message, attempt: attempt + 1, delayMs }, "Mastodon server unreachable; trying again");
      await waitBeforeRetry(delayMs, context.signal);
    }
  }
  return undefined;
}

async function startLive(input: Extract<IngestInput, { kind: "live" }>, context: InputContext): Promise<StartedInput> {
  const { stats, log, signal } = context;
  const silentHashtag = silentHashtagWarning(input.stream);
  if (silentHashtag !== undefined) log.warn({ stream: describeMastodonStream(input.stream) }, silentHashtag);
  const resolved = await Promise.all(input.targets.map((target) => resolveTarget(target, context)));
  const targets = resolved.filter((target): target is ResolvedTarget => target !== undefined);
  const instances = targets.map((target) => target.name);
  const recorder =
    input.record === undefined
      ? undefined
      : await FrameRecorder.open(
          input.record,
          { source: input.source, stream: describeMastodonStream(input.stream), instances, startedAt: new Date().toISOString() },
          (error) => log.error({ err: error.message, file: input.record }, "recording failed"),
        );
  if (recorder !== undefined) log.info({ file: input.record }, "recording every frame");
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
            ...(recorder !== undefined && { onFrame: (text: string) => recorder.record(target.name, text, Date.now()) }),
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
      await recorder?.close();
    },
  };
}

async function startReplay(input: Extract<IngestInput, { kind: "replay" }>, context: InputContext): Promise<StartedInput> {
  const recording = await openRecording(input.file);
  const { header } = recording;
  context.log.info({ file: input.file, speed: input.speed, recordedAt: header.startedAt, instances: header.instances }, "replaying a recording");
  return {
    source: header.source,
    instances: header.instances,
    async run(pipeline) {
      const summary = await playRecording(recording, input.speed, context.signal, (instance, event, at) => pipeline.handle(instance, event, at));
      context.log.info({ file: input.file, ...summary }, "replay finished");
    },
    async close() {},
  };
}

