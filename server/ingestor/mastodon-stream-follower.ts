/**
 * Follows one Mastodon stream with masto and hands every event to the caller, for as long as the
 * signal allows.
 *
 * masto's own retry is unbounded and uncapped (and with `retry: true` a refused token retries
 * forever in silence), so each session runs with `retry: false` and this loop owns reconnection:
 * capped, jittered backoff, every reconnect logged and counted.
 */
import { createStreamingAPIClient, type mastodon } from "masto";
import type { MastodonStream } from "../config/mastodon-stream.ts";
import { describeMastodonStream } from "../config/mastodon-stream.ts";
import type { Logger } from "../log/logger.ts";
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from "./backoff.ts";

export interface FollowOptions {
  readonly streamingUrl: string;
  readonly token: string;
  readonly stream: MastodonStream;
  readonly signal: AbortSignal;
  readonly backoff?: BackoffPolicy;
  /** Called after each session ends, before the next attempt. */
  readonly onReconnect?: (attempt: number) => void;
}

export type StreamEvent = mastodon.streaming.Event;

function subscribe(client: mastodon.streaming.Client, stream: MastodonStream): mastodon.streaming.Subscription {
  switch (stream.kind) {
    case "public":
      return client.public.subscribe();
    case "public:local":
      return client.public.local.subscribe();
    case "public:remote":
      return client.public.remote.subscribe();
    case "hashtag":
      return client.hashtag.subscribe({ tag: stream.tag });
  }
}

export async function followMastodonStream(options: FollowOptions, onEvent: (event: StreamEvent) => void, log: Logger): Promise<void> {
  const { streamingUrl, token, stream, signal } = options;
  let attempt = 0;
  while (!signal.aborted) {
    const client = createStreamingAPIClient({ streamingApiUrl: streamingUrl, accessToken: token, retry: false, log: "error" });
    const stop = (): void => client.close();
    signal.addEventListener("abort", stop, { once: true });
    try {
      log.info({ streamingUrl, stream: describeMastodonStream(stream) }, "subscribing to Mastodon stream");
      for await (const event of subscribe(client, stream)) {
        attempt = 0;
        onEvent(event);
      }
    } catch (error) {
      if (!signal.aborted) log.warn({ err: (error as Error).message, streamingUrl }, "Mastodon stream failed");
    } finally {
      signal.removeEventListener("abort", stop);
      client.close();
    }
    if (signal.aborted) return;
    const delay = backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF);
    attempt++;
    options.onReconnect?.(attempt);
    log.warn({ attempt, delayMs: delay }, "reconnecting to Mastodon stream");
    await sleep(delay, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
