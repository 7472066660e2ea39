/**
 * One WebSocket client of the simulated streaming server: its subscriptions and the frames it
 * sends, handled as Mastodon's streaming/index.js does (`onConnection` and the subscribe and
 * unsubscribe helpers):
 * - JSON text frames `{"type":"subscribe"|"unsubscribe","stream":..., ...params}`; anything
 *   unparsable or with another `type` is ignored;
 * - a binary frame closes the socket with 1003;
 * - a failed subscription answers `{"error":<message>,"status":<400|401>}` on the socket, a
 *   failed unsubscription `{"error":"Error unsubscribing from channel"}` (no status);
 * - subscribing twice to the same channel is a no-op.
 */
import type { RawData, WebSocket } from "ws";

import type { DemoLogger } from "./demo-logger.ts";
import type { StreamEventName } from "./stream-event.ts";
import { firstValue, resolveChannel, type StreamParams } from "./stream-channels.ts";
import { StreamAuthenticationError, StreamRequestError } from "./streaming-errors.ts";
import { checkScopes, type TokenScopes } from "./token-scopes.ts";

export interface SessionPolicy {
  /** A silent server writes nothing at all: no events, pings, pongs or error frames. */
  isSilent(): boolean;
  /** Languages the simulated user reads; null lets everything through. */
  readonly chosenLanguages: readonly string[] | null;
  readonly tokenScopes: TokenScopes;
  onSubscriptionsChanged(): void;
  readonly logger: DemoLogger;
}

const BINARY_CLOSE_REASON = "The mastodon streaming server does not support binary messages";

export class StreamingSession {
  /** Cleared before each heartbeat ping; a pong sets it again. */
  isAlive = true;
  private readonly subscriptions = new Map<string, readonly string[]>();

  constructor(
    readonly socket: WebSocket,
    private readonly policy: SessionPolicy,
  ) {
    socket.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    socket.on("pong", () => {
      this.isAlive = true;
    });
    // The server is created with autoPong off so that a silent server also stops answering.
    socket.on("ping", (data) => {
      if (!policy.isSilent()) socket.pong(data);
    });
    socket.on("error", (error) => policy.logger.warn({ err: error }, "streaming client error"));
    socket.on("close", () => {
      this.subscriptions.clear();
      policy.onSubscriptionsChanged();
    });
  }

  subscribe(name: unknown, params: StreamParams): void {
    try {
      // As the original: scopes first, then the channel (checkScopes, then channelNameToIds).
      checkScopes(firstValue(name), this.policy.tokenScopes);
      const channel = resolveChannel(name, params);
      if (this.subscriptions.has(channel.key)) return;
      this.subscriptions.set(channel.key, channel.streamName);
      this.policy.onSubscriptionsChanged();
    } catch (error) {
      if (!(error instanceof StreamRequestError || error instanceof StreamAuthenticationError)) throw error;
      this.policy.logger.info({ err: error }, "streaming subscription refused");
      this.sendIfWritable({ error: error.message, status: error.status });
    }
  }

  unsubscribe(name: unknown, params: StreamParams): void {
    try {
      const channel = resolveChannel(name, params);
      if (this.subscriptions.delete(channel.key)) this.policy.onSubscriptionsChanged();
    } catch (error) {
      if (!(error instanceof StreamRequestError || error instanceof StreamAuthenticationError)) throw error;
      this.sendIfWritable({ error: "Error unsubscribing from channel" });
    }
  }

  /** The `stream` arrays of this socket's subscriptions. */
  streams(): Array<readonly string[]> {
    return [...this.subscriptions.values()];
  }

  /** How many of this socket's subscriptions an event would be sent on. */
  matching(channelKeys: ReadonlySet<string>, event: StreamEventName, language: string | null): number {
    return this.matchingStreams(channelKeys, event, language).length;
  }

  /** Sends one frame per matching subscription, as the real server runs one listener each. */
  deliver(channelKeys: ReadonlySet<string>, event: StreamEventName, payload: string, language: string | null): number {
    if (this.socket.readyState !== this.socket.OPEN) return 0;
    const streams = this.matchingStreams(channelKeys, event, language);
    for (const stream of streams) this.socket.send(JSON.stringify({ stream, event, payload }));
    return streams.length;
  }

  private matchingStreams(
    channelKeys: ReadonlySet<string>,
    event: StreamEventName,
    language: string | null,
  ): Array<readonly string[]> {
    if (this.filteredByLanguage(event, language)) return [];
    return [...this.subscriptions].filter(([key]) => channelKeys.has(key)).map(([, stream]) => stream);
  }

  private filteredByLanguage(event: StreamEventName, language: string | null): boolean {
    const chosen = this.policy.chosenLanguages;
    if (event === "delete" || chosen === null || language === null) return false;
    return !chosen.includes(language);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.socket.close(1003, BINARY_CLOSE_REASON);
      return;
    }
    const frame = parseFrame(data);
    if (frame === undefined) {
      this.policy.logger.info({}, "unparsable streaming frame ignored");
      return;
    }
    const { type, stream, ...params } = frame;
    if (type === "subscribe") this.subscribe(stream, params);
    else if (type === "unsubscribe") this.unsubscribe(stream, params);
  }

  /** Like the original, stays quiet between a ping and its pong (`isAlive` is false meanwhile). */
  private sendIfWritable(message: object): void {
    if (!this.isAlive || this.policy.isSilent() || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify(message));
  }
}

function parseFrame(data: RawData): Record<string, unknown> | undefined {
  const text = Array.isArray(data)
    ? Buffer.concat(data).toString("utf8")
    : Buffer.isBuffer(data)
      ? data.toString("utf8")
      : Buffer.from(new Uint8Array(data)).toString("utf8");
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
