/**
 * A Mastodon server in miniature, speaking the real protocol over real sockets: a REST server
 * for discovery and a separate streaming server (as mastodon.social runs them on different
 * hosts). It is the product's demo source when no token is configured and the fixture of the
 * integration tests, hence the hooks to publish crafted events, fall silent, drop connections
 * and restart on the same port.
 */
import { randomBytes } from "node:crypto";

import { DEFAULT_SERVER_DOMAIN } from "./crafted-status.ts";
import { silentLogger, type DemoLogger } from "./demo-logger.ts";
import { RestEndpoint } from "./rest-endpoint.ts";
import type { StreamEvent } from "./stream-event.ts";
import type { StreamingStats } from "./event-fanout.ts";
import { StreamingEndpoint } from "./streaming-endpoint.ts";

export interface SimulatedMastodonOptions {
  /** Address both servers bind to. Default `127.0.0.1`. */
  readonly host?: string;
  /** REST port. Default 0 (a free port). */
  readonly port?: number;
  /** Streaming port, distinct from the REST one. Default 0. */
  readonly streamingPort?: number;
  /** The one user token the streaming server accepts. Default: a random 43-character token. */
  readonly token?: string;
  /** The instance's domain, used in the URLs of local accounts and tags. Default `mastodon.example`. */
  readonly domain?: string;
  /** Default `Tagstream demo`. */
  readonly title?: string;
  /** Default `4.3.0`. */
  readonly version?: string;
  /** Protocol-level ping period; a peer silent for a whole period is terminated. Default 30000. */
  readonly pingIntervalMs?: number;
  /** Delay for `update`/`status.update` frames only, so a quick `delete` overtakes them. Default 0. */
  readonly updateDelayMs?: number;
  /**
   * Delay for `status.update` frames, when it should differ from `updateDelayMs`: shorter, an edit
   * overtakes its post, as Mastodon's streaming server can let it. Default `updateDelayMs`.
   */
  readonly statusUpdateDelayMs?: number;
  /** The simulated user's `chosen_languages`: other languages are filtered out. Default null (all). */
  readonly chosenLanguages?: readonly string[] | null;
  /** The OAuth scopes of the accepted token. Default `["read"]`. */
  readonly tokenScopes?: readonly string[];
  /** Check scopes for the public and hashtag streams too (see token-scopes.ts). Default false. */
  readonly scopedPublicStreams?: boolean;
  readonly logger?: DemoLogger;
}

export interface SimulatedMastodon {
  /** `http://host:port` of the REST API. */
  readonly restUrl: string;
  /** `ws://host:port` as announced in `configuration.urls.streaming`. */
  readonly streamingUrl: string;
  readonly token: string;
  readonly domain: string;
  /** Sends an event now; returns how many subscriptions it matched (0 while silent). */
  publish(event: StreamEvent): number;
  /** Open WebSocket connections. */
  connections(): number;
  /** The `stream` array of every live subscription, one entry per subscription. */
  subscriptions(): Array<readonly string[]>;
  /** Resolves once a client is subscribed to exactly this stream, e.g. `["hashtag", "Foo"]`. */
  waitForSubscription(stream: readonly string[], timeoutMs?: number): Promise<void>;
  /** Silent: sockets stay open but nothing is written, not even pings or pongs; events are lost. */
  setSilent(silent: boolean): void;
  /** Cuts every WebSocket (1006 on the client), or closes them with the given code. */
  dropConnections(close?: { readonly code: number; readonly reason?: string }): void;
  /** Takes the streaming server down: connections are cut and new ones refused. */
  stopStreaming(): Promise<void>;
  /** Brings it back on the same port. */
  startStreaming(): Promise<void>;
  stats(): StreamingStats;
  close(): Promise<void>;
}

export async function startSimulatedMastodon(options: SimulatedMastodonOptions = {}): Promise<SimulatedMastodon> {
  const host = options.host ?? "127.0.0.1";
  const domain = options.domain ?? DEFAULT_SERVER_DOMAIN;
  const token = options.token ?? randomBytes(32).toString("base64url");
  const logger = options.logger ?? silentLogger;
  const streaming = new StreamingEndpoint({
    host,
    port: options.streamingPort ?? 0,
    token,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    delays: { updateMs: options.updateDelayMs ?? 0, statusUpdateMs: options.statusUpdateDelayMs ?? options.updateDelayMs ?? 0 },
    chosenLanguages: options.chosenLanguages ?? null,
    tokenScopes: { scopes: options.tokenScopes ?? ["read"], scopedPublicStreams: options.scopedPublicStreams ?? false },
    logger,
  });
  await streaming.start();
  const streamingUrl = `ws://${host}:${streaming.port}`;
  const rest = new RestEndpoint(host, options.port ?? 0, () => ({
    domain,
    title: options.title ?? "Tagstream demo",
    version: options.version ?? "4.3.0",
    streamingUrl,
  }));
  try {
    await rest.start();
  } catch (error) {
    await streaming.stop();
    throw error;
  }
  const restUrl = `http://${host}:${rest.port}`;
  logger.info({ restUrl, streamingUrl }, "simulated Mastodon listening");

  return {
    restUrl,
    streamingUrl,
    token,
    domain,
    publish: (event) => streaming.publish(event),
    connections: () => streaming.connections(),
    subscriptions: () => streaming.subscriptions(),
    waitForSubscription: (stream, timeoutMs = 5_000) => streaming.watch.waitFor(stream, timeoutMs),
    setSilent: (silent) => streaming.setSilent(silent),
    dropConnections: (close) => streaming.dropConnections(close),
    stopStreaming: () => streaming.stop(),
    startStreaming: () => streaming.start(),
    stats: () => streaming.stats(),
    close: async () => {
      await Promise.all([streaming.stop(), rest.stop()]);
    },
  };
}
