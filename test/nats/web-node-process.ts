/**
 * What the web node tests share: `web` as a child process on a free port, fake replicas that send
 * frames on the frames subject as a replica does (headers and all), and valid frames to send.
 */
import type { ChildProcess } from "node:child_process";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import { PROTOCOL_VERSION, type Hello, type ServerMessage, type Snapshot } from "../../shared/messages.ts";
import { clusterSubjects, FRAME_HEADERS } from "../../server/nats/cluster-wire.ts";
import { spawnCommand } from "../support/command-process.ts";
import { freePort } from "../support/free-port.ts";
import { waitFor } from "../integration/serve-process.ts";

export interface WebNodeProcess {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  output(): string;
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/** Starts `web` and resolves once it answers /healthz (it listens once it has a snapshot). */
export async function startWebNode(env: Readonly<Record<string, string>>): Promise<WebNodeProcess> {
  const port = await freePort();
  const { child, output, exited } = spawnCommand("web", { HOST: "127.0.0.1", HTTP_PORT: String(port), LOG_FORMAT: "json", ...env });
  const httpUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${httpUrl}/healthz`)).ok, 30_000, () => `web did not start:\n${output()}`);
  return { child, httpUrl, wsUrl: `ws://127.0.0.1:${port}/ws`, port, output, exited };
}

export const STARTED_AT = "2026-01-01T00:00:00.000Z";

export function helloFrame(triggerMs = 1000): Hello {
  return {
    type: "hello",
    v: PROTOCOL_VERSION,
    triggerMs,
    topN: 3,
    windows: ["15m", "complete"],
    source: "live",
    instances: ["mastodon.example"],
    startedAt: STARTED_AT,
  };
}

/**
 * A snapshot of `epoch` whose counts say which epoch it is: tag `e<epoch>` counted `epoch` times;
 * with `languages`, the languages whose tops the replicas keep apart.
 */
export function snapshotFrame(epoch: number, languages?: string[]): Snapshot {
  const top = [{ tag: `e${epoch}`, count: epoch, rank: 1, history: [epoch] }];
  return {
    type: "snapshot",
    v: PROTOCOL_VERSION,
    epoch,
    at: new Date(Date.parse(STARTED_AT) + epoch * 1000).toISOString(),
    triggerMs: 1000,
    source: "live",
    instances: ["mastodon.example"],
    windows: [
      { window: "15m", top },
      { window: "complete", top },
    ],
    stats: { lines: epoch, tags: epoch, distinct: 1, rejected: 0, ingestors: 1 },
    ...(languages !== undefined && { languages }),
    startedAt: STARTED_AT,
  };
}

export interface FakeReplica {
  readonly connection: NatsConnection;
  /** Sends `message` as replica `name` does, and waits until the server has it. */
  send(message: ServerMessage, epoch: number): Promise<void>;
  /** Sends raw bytes with the given headers (for frames a web node must refuse). */
  sendRaw(text: string, epochHeader: string | undefined): Promise<void>;
  close(): Promise<void>;
}

export async function fakeReplica(server: string, stream: string, name: string): Promise<FakeReplica> {
  const connection = await connect({ servers: [server], name });
  const subject = clusterSubjects(stream).frames;
  const sendRaw = async (text: string, epochHeader: string | undefined): Promise<void> => {
    const h = headers();
    if (epochHeader !== undefined) h.set(FRAME_HEADERS.epoch, epochHeader);
    h.set(FRAME_HEADERS.replica, name);
    connection.publish(subject, text, { headers: h });
    // Once the server has answered a ping after it, the frame is in the server's hands, ahead of
    // anything another connection to the same server sends next.
    await connection.flush();
  };
  return {
    connection,
    send: (message, epoch) => sendRaw(JSON.stringify(message), String(epoch)),
    sendRaw,
    close: () => connection.close(),
  };
}

