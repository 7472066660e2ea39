/**
 * One connection to a Mastodon streaming server, from masto's first attempt to the end, and why it
 * ended. masto runs the protocol (its subscribe frame, its parsing); the observed socket tells this
 * session what masto keeps to itself, so that the session can end the client the moment anything
 * goes wrong: a refused upgrade, a lost connection, an error frame, or silence.
 *
 * Each session uses a fresh masto client with `retry: false`: reconnecting is the follower's job.
 * (masto waits 1 s before its first connection attempt, whatever its options.)
 */
import { createStreamingAPIClient, type mastodon } from "masto";
import type { MastodonStream } from "../../config/mastodon-stream.ts";
import { observedWebSocket, type SocketEvents } from "./observed-web-socket.ts";
import { SilenceWatchdog } from "./silence-watchdog.ts";

export type StreamEvent = mastodon.streaming.Event;

export type SessionEnd =
  | { readonly kind: "stopped" }
  | { readonly kind: "refused"; readonly status: number; readonly message: string | undefined }
  | { readonly kind: "failed"; readonly error: string }
  | { readonly kind: "closed"; readonly code: number; readonly reason: string }
  | { readonly kind: "silent"; readonly ms: number }
  | { readonly kind: "error-frame"; readonly error: string; readonly status: number | undefined };

export interface SessionResult {
  readonly end: SessionEnd;
  /** The connection opened. */
  readonly opened: boolean;
  /** At least one frame or ping arrived: the server was really there. */
  readonly heard: boolean;
}

export interface SessionOptions {
  readonly streamingUrl: string;
  readonly token: string | undefined;
  readonly stream: MastodonStream;
  readonly silenceTimeoutMs: number;
  readonly signal: AbortSignal;
  readonly onEvent: (event: StreamEvent) => void;
  /** Every raw text frame, before masto parses it. */
  readonly onFrame?: (text: string) => void;
  readonly onOpen?: () => void;
}

export function subscribe(client: mastodon.streaming.Client, stream: MastodonStream): mastodon.streaming.Subscription {
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

/** `{"error":...,"status":...}`, which Mastodon sends when a subscription fails. Events start with `{"stream"`. */
function errorFrame(text: string): { error: string; status: number | undefined } | undefined {
  if (text.startsWith('{"stream"')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || !("error" in value)) return undefined;
    const { error, status } = value as { error: unknown; status?: unknown };
    return { error: String(error), status: typeof status === "number" ? status : undefined };
  } catch {
    return undefined;
  }
}

export async function runSession(options: SessionOptions): Promise<SessionResult> {
  let end: SessionEnd | undefined;
  let opened = false;
  let heard = false;
  let socket: { terminate(): void } | undefined;
  let refusal: { status: number; message: string | undefined } | undefined;

  const watchdog = new SilenceWatchdog(options.silenceTimeoutMs, () => finish({ kind: "silent", ms: options.silenceTimeoutMs }));
  const events: SocketEvents = {
    created(ws) {
      // masto may still construct a socket after it was closed (its first delay runs on): cut it.
      if (end === undefined) socket = ws;
      else ws.terminate();
    },
    opened() {
      opened = true;
      watchdog.heard();
      options.onOpen?.();
    },
    frame(text) {
      heard = true;
      watchdog.heard();
      options.onFrame?.(text);
      const refused = errorFrame(text);
      if (refused !== undefined) finish({ kind: "error-frame", ...refused });
    },
    ping() {
      heard = true;
      watchdog.heard();
    },
    refused(status, message) {
      refusal = { status, message };
    },
    failed(error) {
      finish(refusal === undefined ? { kind: "failed", error: error.message } : { kind: "refused", ...refusal });
    },
    closed(code, reason) {
      finish({ kind: "closed", code, reason });
    },
  };

  const client = createStreamingAPIClient({
    streamingApiUrl: options.streamingUrl,
    ...(options.token !== undefined && { accessToken: options.token }),
    retry: false,
    log: "error",
    implementation: observedWebSocket(events, options.silenceTimeoutMs),
  });

  function finish(why: SessionEnd): void {
    if (end !== undefined) return;
    end = why;
    watchdog.stop();
    options.signal.removeEventListener("abort", stop);
    client.close();
    socket?.terminate();
  }
  const stop = (): void => finish({ kind: "stopped" });
  if (options.signal.aborted) stop();
  else options.signal.addEventListener("abort", stop, { once: true });

  try {
    for await (const event of subscribe(client, options.stream)) options.onEvent(event);
    finish({ kind: "closed", code: 0, reason: "stream ended" });
  } catch (error) {
    finish({ kind: "failed", error: (error as Error).message });
  }
  return { end: end as SessionEnd, opened, heard };
}
