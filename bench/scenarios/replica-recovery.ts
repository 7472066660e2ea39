/**
 * Replicas on a local 3-node cluster the scenario starts itself, as real `serve` and `web`
 * processes with a screen (a WebSocket client) on the web node:
 * - failover: one of the two replicas is killed (-9); the time until the screen gets the next
 *   epoch, and how many epochs the screen missed over the whole run (target: none);
 * - recovery: while it is down a backlog of post lines is published (the other replica counts them
 *   live); started again on its STATE_DIR, it replays from its checkpoint: messages per second, and
 *   the time from its start to having caught up with the stream's tail (its start-up included),
 *   for the backlog's size (1 M lines in a full run, fewer at --quick and --smoke; the figure says
 *   how many). Beside the replay, the rate at which the same lines were published (R3, acks
 *   awaited), so the two can be compared.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import WebSocket from "ws";
import { clusterSubjects } from "../../server/nats/cluster-wire.ts";
import { freePort } from "../../test/support/free-port.ts";
import { natsServerBinary, NATS_SERVER_MISSING, startNatsCluster } from "../../test/support/nats-cluster.ts";
import { monotonicMs, startChild } from "../support/child.ts";
import { bySize, type Figure, type Scenario, type ScenarioContext } from "../support/figure.ts";

const STREAM = "BENCH_REPLICAS";
const TRIGGER_MS = 500;

interface Node {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  readonly port: number;
}

interface ReplicaHealth {
  readonly cluster?: { readonly lastSeq: number; readonly lag: number; readonly replaying: boolean; readonly replayed: number };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = monotonicMs() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (monotonicMs() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

/** A compiled command (`serve` or `web`) on a free HTTP port; resolves once /healthz answers. */
async function startNode(command: "serve" | "web", env: Readonly<Record<string, string>>): Promise<Node> {
  const port = await freePort();
  const child = spawn(process.execPath, [`dist/server/${command}.js`], {
    env: { ...process.env, HOST: "127.0.0.1", HTTP_PORT: String(port), INGEST_PORT: String(await freePort()), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  await until(`${command} did not answer /healthz`, 60_000, async () => {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
    return (await fetch(`${httpUrl}/healthz`)).ok ? true : undefined;
  });
  return { child, httpUrl, port };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (node === undefined || node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill("SIGTERM");
  await new Promise((resolve) => node.child.once("exit", resolve));
}

async function healthOf(node: Node): Promise<ReplicaHealth> {
  return (await (await fetch(`${node.httpUrl}/healthz`)).json()) as ReplicaHealth;
}

/** The screen: each snapshot's epoch and when it came. */
function watchScreen(wsUrl: string): { readonly epochs: Array<{ epoch: number; at: number }>; close(): void } {
  const epochs: Array<{ epoch: number; at: number }> = [];
  const socket = new WebSocket(wsUrl);
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { type: string; epoch?: number };
    if (message.type === "snapshot" && message.epoch !== undefined) epochs.push({ epoch: message.epoch, at: monotonicMs() });
  });
  return { epochs, close: () => socket.close() };
}

export const replicaRecovery: Scenario = {
  name: "replicas",
  title: "Replica failover (kill -9 to the next epoch on a screen) and recovery (replay after a restart)",
  async run({ size, progress }: ScenarioContext): Promise<Figure[]> {
    if (natsServerBinary() === undefined) throw new Error(NATS_SERVER_MISSING);
    execFileSync(process.execPath, ["scripts/build-server.mjs"], { stdio: "ignore" });
    // About three tags a line: the backlog in lines is about a third of the corpus's tags.
    const backlogTags = bySize(size, { smoke: 6_000, quick: 300_000, full: 3_000_000 });
    const cluster = await startNatsCluster();
    const dirs = [mkdtempSync(join(tmpdir(), "tagstream-replica-a-")), mkdtempSync(join(tmpdir(), "tagstream-replica-b-"))];
    const env = (dir: string) => ({
      NATS_URL: cluster.url,
      NATS_STREAM: STREAM,
      NATS_REPLICAS: "3",
      NATS_EPOCH_GRACE: "100ms",
      TRIGGER_INTERVAL: `${TRIGGER_MS}ms`,
      CHECKPOINT_INTERVAL: "2s",
      STATE_DIR: dir,
    });
    const nodes: Node[] = [];
    const flood = startChild("cluster-publish-flood.ts", { corpus: { distinct: 100_000, exponent: 1.1, tags: backlogTags, seed: 3 }, servers: cluster.urls, maxInFlight: 512 });
    let screen: ReturnType<typeof watchScreen> | undefined;
    const connection = await connect({ servers: [...cluster.urls] });
    try {
      const [a, b] = await Promise.all(dirs.map((dir) => startNode("serve", env(dir))));
      nodes.push(a as Node, b as Node);
      // The first line opens the first epoch; the replicas' markers close the ones after it.
      await jetstream(connection).publish(clusterSubjects(STREAM).posts, "warm up");
      const web = await startNode("web", { NATS_URL: cluster.url, NATS_STREAM: STREAM });
      nodes.push(web);
      screen = watchScreen(`ws://127.0.0.1:${web.port}/ws`);
      const seen = screen.epochs;
      await until("the screen got no 3 snapshots", 30_000, async () => (seen.length >= 3 ? true : undefined));

      progress(`kill -9 of one of two replicas, epochs every ${TRIGGER_MS} ms`);
      const killedAt = monotonicMs();
      (a as Node).child.kill("SIGKILL");
      const next = await until("no epoch on the screen after the kill", 30_000, async () => seen.find((e) => e.at > killedAt));
      const failoverMs = next.at - killedAt;

      const { lines } = await flood.next<{ type: string; lines: number }>("ready");
      progress(`${lines.toLocaleString()} lines published while it is down, then its restart`);
      const published = await flood.ask<{ type: string; startedAt: number; finishedAt: number }>({ type: "go", mode: "publisher", stream: STREAM, replicas: 3 }, "done");
      const publishRate = lines / ((published.finishedAt - published.startedAt) / 1000);
      const tail = (await (await jetstreamManager(connection)).streams.info(STREAM)).state.last_seq;
      const startedAt = monotonicMs();
      const restarted = await startNode("serve", env(dirs[0] as string));
      nodes.push(restarted);
      const caughtUp = await until("the restarted replica did not catch up", 30 * 60_000, async () => {
        const state = (await healthOf(restarted)).cluster;
        return state !== undefined && !state.replaying && state.lag === 0 && state.lastSeq >= tail ? state : undefined;
      });
      const catchUpMs = monotonicMs() - startedAt;
      const replayRate = caughtUp.replayed / (catchUpMs / 1000);

      // A few epochs more, then every gap the screen saw, from its first snapshot to its last.
      const lastBefore = seen.length;
      await until("the screen got no further epochs", 30_000, async () => (seen.length >= lastBefore + 3 ? true : undefined));
      let missed = 0;
      for (let i = 1; i < seen.length; i++) missed += Math.max(0, (seen[i]?.epoch ?? 0) - (seen[i - 1]?.epoch ?? 0) - 1);
      const epochSpan = `${seen.length} snapshots, epochs ${seen[0]?.epoch}–${seen[seen.length - 1]?.epoch}`;
      const sizeLabel = `${lines.toLocaleString()} post lines (${size} size)`;
      return [
        {
          scenario: "replicas",
          metric: "failover: kill -9 of a replica to the next epoch on a web node's screen",
          unit: "ms",
          value: failoverMs,
          higherIsBetter: false,
          baselines: [{ name: "epoch interval", value: TRIGGER_MS }],
          notes: ["bounded by the epoch interval: the other replica's snapshot of the next epoch is the one the screen gets"],
        },
        { scenario: "replicas", metric: "epochs the screen missed through the kill and the restart", unit: "epochs", value: missed, higherIsBetter: false, baselines: [], target: 0, notes: [epochSpan] },
        {
          scenario: "replicas",
          metric: `recovery: replay after a restart, ${sizeLabel}`,
          unit: "k msg/s",
          value: replayRate / 1e3,
          higherIsBetter: true,
          baselines: [{ name: "publishing the same lines (R3, acks)", value: publishRate / 1e3 }],
          notes: [`${caughtUp.replayed.toLocaleString()} messages replayed from the checkpoint; the time includes the process's start and restore`],
        },
        { scenario: "replicas", metric: `recovery: restart to caught up, ${sizeLabel}`, unit: "s", value: catchUpMs / 1000, higherIsBetter: false, baselines: [] },
      ];
    } finally {
      screen?.close();
      for (const node of nodes.reverse()) await stopNode(node);
      await flood.stop();
      await connection.close();
      await cluster.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  },
};
