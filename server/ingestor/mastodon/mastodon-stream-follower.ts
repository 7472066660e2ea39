/**
 * Follows one Mastodon server's stream for as long as the signal allows: one session after another
 * (see mastodon-session.ts), with capped, jittered backoff between them. Every reconnect is logged
 * with its cause and counted. A refused token or subscription ends the follow with an error that
 * says how to fix it, instead of retrying forever in silence.
 */
import type { MastodonStream } from "../../config/mastodon-stream.ts";
import { describeMastodonStream } from "../../config/mastodon-stream.ts";
import type { Logger } from "../../log/logger.ts";
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF, waitBeforeRetry } from "../../../shared/backoff.ts";
import { MastodonAuthError, MastodonSubscriptionError } from "./mastodon-errors.ts";
import { runSession, type SessionEnd, type StreamEvent } from "./mastodon-session.ts";

export interface FollowOptions {
  /** The server's REST URL, for messages. */
  readonly instanceUrl: string;
  readonly streamingUrl: string;
  readonly token: string | undefined;
  readonly stream: MastodonStream;
  readonly signal: AbortSignal;
  readonly silenceTimeoutMs: number;
  readonly backoff?: BackoffPolicy;
  readonly onEvent: (event: StreamEvent) => void;
  readonly onFrame?: (text: string) => void;
  /** The connection opened (true) or ended (false). */
  readonly onConnection?: (open: boolean) => void;
  /** A new session is about to start after one ended. */
  readonly onReconnect?: (cause: SessionEnd) => void;
}

export function describeSessionEnd(end: SessionEnd): string {
  switch (end.kind) {
    case "stopped":
      return "stopped";
    case "refused":
      return `upgrade refused with HTTP ${end.status}${end.message === undefined ? "" : ` (${end.message})`}`;
    case "failed":
      return `could not connect: ${end.error}`;
    case "closed":
      return `connection closed (${end.code}${end.reason === "" ? "" : ` ${end.reason}`})`;
    case "silent":
      return `no event and no ping for ${end.ms} ms`;
    case "error-frame":
      return `error frame: ${end.error}`;
  }
}

/** The error that ends the follow, or undefined when reconnecting may help. */
function fatal(end: SessionEnd, options: FollowOptions): Error | undefined {
  if (end.kind === "refused" && (end.status === 401 || end.status === 403)) {
    return new MastodonAuthError(options.instanceUrl, { via: "upgrade", status: end.status }, end.message);
  }
  if (end.kind === "error-frame" && (end.status === 401 || end.status === 403)) {
    return new MastodonAuthError(options.instanceUrl, { via: "frame", status: end.status }, end.error);
  }
  if (end.kind === "error-frame" && end.status === 400) {
    return new MastodonSubscriptionError(options.instanceUrl, describeMastodonStream(options.stream), end.error);
  }
  return undefined;
}

export async function followMastodonStream(options: FollowOptions, log: Logger): Promise<void> {
  const { signal, streamingUrl } = options;
  const stream = describeMastodonStream(options.stream);
  let attempt = 0;
  while (!signal.aborted) {
    log.info({ streamingUrl, stream }, "subscribing to Mastodon stream");
    const result = await runSession({
      streamingUrl,
      token: options.token,
      stream: options.stream,
      silenceTimeoutMs: options.silenceTimeoutMs,
      signal,
      onEvent: options.onEvent,
      ...(options.onFrame !== undefined && { onFrame: options.onFrame }),
      onOpen: () => {
        log.info({ streamingUrl, stream }, "connected to Mastodon stream");
        options.onConnection?.(true);
      },
    });
    if (result.opened) options.onConnection?.(false);
    if (result.end.kind === "stopped") return;
    const error = fatal(result.end, options);
    if (error !== undefined) throw error;
    // A session that really talked to the server resets the backoff; one that never did grows it.
    if (result.heard) attempt = 0;
    const delayMs = backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF);
    attempt++;
    options.onReconnect?.(result.end);
    log.warn({ streamingUrl, cause: describeSessionEnd(result.end), attempt, delayMs }, "Mastodon stream lost; reconnecting");
    await waitBeforeRetry(delayMs, signal);
  }
}

