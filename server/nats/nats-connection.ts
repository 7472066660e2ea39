/**
 * One NATS connection per process, made from the cluster settings: every server listed (the client
 * fails over between them), credentials and TLS as configured, and reconnection without end, because
 * a cluster that is away for a while must not end an ingestor or a replica (they queue or wait).
 */
import { readFileSync } from "node:fs";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import type { NatsSettings } from "../config/nats-settings.ts";
import type { Logger } from "../log/logger.ts";

export async function connectNats(settings: NatsSettings, name: string, log: Logger): Promise<NatsConnection> {
  const { auth, tls } = settings;
  const connection = await connect({
    servers: [...settings.servers],
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // The first connect may find the cluster still starting: keep trying as for a reconnect.
    waitOnFirstConnect: true,
    ...(auth.credsFile !== undefined && { authenticator: credsAuthenticator(readFileSync(auth.credsFile)) }),
    ...(auth.user !== undefined && { user: auth.user, pass: auth.password }),
    ...(auth.token !== undefined && { token: auth.token }),
    ...(tls !== undefined && { tls: { ...tls } }),
  });
  log.info({ server: connection.getServer(), name }, "connected to NATS");
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === "disconnect" || status.type === "reconnect") log.warn({ status: status.type, server: "server" in status ? status.server : undefined }, `NATS ${status.type}`);
    }
  })();
  return connection;
}
