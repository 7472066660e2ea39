/**
 * Replicas as real `serve` processes against a test cluster, the lines they count published
 * straight to the stream (as an ingestor would, message ids included), and every frame the replicas
 * send, recorded per replica and epoch from `<S>.out.frames`.
 */
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { FRAME_HEADERS, clusterSubjects } from "../../server/nats/cluster-wire.ts";
import { postMessageId } from "../../server/nats/message-id.ts";
import { snapshotSchema, tagCountsResponseSchema, type Snapshot } from "../../shared/messages.ts";
import { startServe, stateDir, waitFor, type ServeProcess } from "../integration/serve-process.ts";

export interface ReplicaOptions {
  readonly url: string;
  readonly stream: string;
  readonly dir?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Settings every replica of a test shares: they must agree on windows and the trigger. */
export const REPLICA_ENV = {
  TRIGGER_INTERVAL: "200ms",
  WINDOWS: "2s,complete",
  CHECKPOINT_INTERVAL: "300ms",
  NATS_EPOCH_GRACE: "100ms",
  NATS_REPLICAS: "3",
  LOG_LEVEL: "info",
  // Tests poll /api/tags for each tag every 50 ms while they wait: far past the default 600 a minute.
  API_RATE_LIMIT: "1000000",
} as const;

export async function startReplica({ url, stream, dir = stateDir(), env = {} }: ReplicaOptions): Promise<ServeProcess & { readonly dir: string }> {
  const serve = await startServe({ ...REPLICA_ENV, NATS_URL: url, NATS_STREAM: stream, STATE_DIR: dir, ...env });
  return Object.assign(serve, { dir });
}

export interface Publisher {
  readonly connection: NatsConnection;
  readonly js: JetStreamClient;
  /** Publishes each line with the message id an ingestor gives it, waiting for every ack. */
  lines(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function publisher(url: string, stream: string): Promise<Publisher> {
  const connection = await connect({ servers: url.split(","), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const js = jetstream(connection, { timeout: 10_000 });
  const subject = clusterSubjects(stream).posts;
  let plainLines = 0;
  return {
    connection,
    js,
    async lines(lines) {
      for (const line of lines) {
        // As an ingestor does: a publish whose ack is lost (a node gone, a leader being elected) is
        // made again with the same id. Plain lines get one of the test's own, so that a retry of one
        // the stream did store counts once and the expected counts stay exact.
        const id = postMessageId(line) ?? `test-line:${++plainLines}`;
        // The cluster may answer "JetStream not enabled" or time out for a while after losing a node.
        const giveUpAt = Date.now() + 30_000;
        for (;;) {
          try {
            await js.publish(subject, line, { msgID: id });
            break;
          } catch (error) {
            if (Date.now() > giveUpAt) throw error;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      }
    },
    close: () => connection.close(),
  };
}

export interface FrameLog {
  /** Snapshots per replica id, by epoch. */
  readonly snapshots: Map<string, Map<number, Snapshot>>;
  /** The replica ids seen, in the order their first frame came. */
  replicas(): string[];
  close(): Promise<void>;
}

export async function recordFrames(url: string, stream: string): Promise<FrameLog> {
  const connection = await connect({ servers: url.split(",") });
  const snapshots = new Map<string, Map<number, Snapshot>>();
  connection.subscribe(clusterSubjects(stream).frames, {
    callback: (error, message) => {
      if (error !== null) return;
      const replica = message.headers?.get(FRAME_HEADERS.replica) ?? "?";
      const frame = message.json<{ type: string }>();
      if (frame.type !== "snapshot") return;
      const snapshot = snapshotSchema.parse(frame);
      expectHeaderEpoch(message.headers?.get(FRAME_HEADERS.epoch), snapshot.epoch);
      let byEpoch = snapshots.get(replica);
      if (byEpoch === undefined) snapshots.set(replica, (byEpoch = new Map()));
      byEpoch.set(snapshot.epoch, snapshot);
    },
  });
  await connection.flush();
  return { snapshots, replicas: () => [...snapshots.keys()], close: () => connection.close() };
}

function expectHeaderEpoch(header: string | undefined, epoch: number): void {
  if (header !== String(epoch)) throw new Error(`frame header epoch ${String(header)} for a snapshot of epoch ${epoch}`);
}

/** What two replicas must agree on in a snapshot: everything counted, not who is connected to whom. */
export function counted(snapshot: Snapshot): unknown {
  return { epoch: snapshot.epoch, at: snapshot.at, triggerMs: snapshot.triggerMs, windows: snapshot.windows, languages: snapshot.languages, lines: snapshot.stats.lines, tags: snapshot.stats.tags, distinct: snapshot.stats.distinct, rejected: snapshot.stats.rejected, startedAt: snapshot.startedAt };
}

/** The complete window's count of `tag` as a replica's `/api/tags/:tag` says. */
export async function completeCount(serve: ServeProcess, tag: string): Promise<number> {
  const response = await fetch(`${serve.httpUrl}/api/tags/${encodeURIComponent(tag)}`);
  return tagCountsResponseSchema.parse(await response.json()).windows.complete ?? 0;
}

export async function health(serve: ServeProcess): Promise<{ epoch: number; cluster?: { lastSeq: number; lag: number; replaying: boolean; replayed: number; epochsClosed: { byMarker: number; byMessage: number } } }> {
  return (await (await fetch(`${serve.httpUrl}/healthz`)).json()) as never;
}

/** Waits until every replica counts `expected` in the complete window, tag by tag. */
export async function waitForCounts(replicas: readonly ServeProcess[], expected: Readonly<Record<string, number>>, timeoutMs = 60_000): Promise<void> {
  for (const serve of replicas) {
    let last: Record<string, number> = {};
    await waitFor(
      async () => {
        last = {};
        for (const tag of Object.keys(expected)) last[tag] = await completeCount(serve, tag);
        return Object.keys(expected).every((tag) => last[tag] === expected[tag]);
      },
      timeoutMs,
      () => `counts ${JSON.stringify(last)} never reached ${JSON.stringify(expected)}:\n${serve.output().slice(-4000)}`,
    );
  }
}
