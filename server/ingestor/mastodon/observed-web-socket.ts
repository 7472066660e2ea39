/**
 * The WebSocket class handed to masto (its `implementation` option): a `ws` client that tells the
 * ingestor what masto cannot, because masto 7 exposes no connection events:
 * - a refused upgrade, with its HTTP status and Mastodon's `X-Error-Message` header (masto only
 *   sees a generic failure, so a 401 would look like a network problem);
 * - every raw text frame as received (for the silence watchdog and for recording), and pings;
 * - the connection opening and closing.
 *
 * Failures before the connection opens are kept from masto: it would print them with
 * console.error and retry on its own schedule, while the ingestor's session ends the client at
 * once and reconnects with its own backoff. Once open, every event reaches masto unchanged.
 */
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";

export interface SocketEvents {
  /** The socket exists (masto constructs it after its own delay). */
  created(socket: WebSocket): void;
  opened(): void;
  frame(text: string): void;
  ping(): void;
  /** The server answered the upgrade with another status than 101. */
  refused(status: number, message: string | undefined): void;
  /** The connection could not be made (after `refused`, when there was a response). */
  failed(error: Error): void;
  /** An open connection ended. */
  closed(code: number, reason: string): void;
}

export type WebSocketClass = new (address: string | URL, protocols?: string | string[]) => WebSocket;

export function observedWebSocket(events: SocketEvents, handshakeTimeoutMs: number): WebSocketClass {
  return class ObservedWebSocket extends WebSocket {
    #open = false;

    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { handshakeTimeout: handshakeTimeoutMs });
      events.created(this);
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      switch (event) {
        case "unexpected-response": {
          const response = args[1] as IncomingMessage;
          const message = response.headers["x-error-message"];
          events.refused(response.statusCode ?? 0, typeof message === "string" ? message : undefined);
          // Unhandled: ws aborts the handshake, which ends in "error" and "close" below.
          return false;
        }
        case "open":
          this.#open = true;
          events.opened();
          break;
        case "message":
          if (args[1] !== true) events.frame(String(args[0]));
          break;
        case "ping":
          events.ping();
          break;
        case "error":
          if (this.#open) break;
          events.failed(args[0] as Error);
          return true;
        case "close":
          if (!this.#open) return true;
          events.closed(args[0] as number, String(args[1] ?? ""));
          break;
      }
      return super.emit(event, ...args);
    }
  };
}
