/**
 * A 3-node nats-server cluster with JetStream for the scale-out tests: each node on free client and
 * cluster ports with its own temporary store directory, routed to the other two. Never the
 * machine's shared server on :4222. Nodes can be killed, stopped (SIGSTOP) and started again on the
 * same ports and store, so that a test can take one node or the whole cluster away and back.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { freePort } from "./free-port.ts";

const CANDIDATES = ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"];

/** The nats-server binary, or undefined when none is installed. */
export function natsServerBinary(): string | undefined {
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv !== undefined && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((candidate) => existsSync(candidate));
}

export const NATS_SERVER_MISSING =
  "nats-server is not installed: the scale-out tests need it (Debian: `apt-get install nats-server`, or set NATS_SERVER_BIN)";

/**
 * Whether the cluster tests can run here. Outside CI a missing binary skips them with a loud
 * message; under CI=true it is an error, so that they never silently do not run there.
 */
export function natsAvailable(): boolean {
  if (natsServerBinary() !== undefined) return true;
  if (process.env.CI === "true") throw new Error(NATS_SERVER_MISSING);
  console.warn(`\n*** SKIPPING the NATS cluster tests: ${NATS_SERVER_MISSING} ***\n`);
  return false;
}

interface Node {
  readonly name: string;
  readonly clientPort: number;
  readonly clusterPort: number;
  readonly storeDir: string;
  process: ChildProcess | undefined;
  output: string;
}

export interface NatsCluster {
  /** Every node's client URL, comma-separated, as NATS_URL takes it. */
  readonly url: string;
  readonly urls: readonly string[];
  /** Kills node `index` (SIGKILL) and waits for it to exit. */
  kill(index: number): Promise<void>;
  /** Starts node `index` again on its ports and store, and waits until it accepts connections. */
  start(index: number): Promise<void>;
  /** Kills every node. */
  killAll(): Promise<void>;
  /** Starts every stopped node again. */
  startAll(): Promise<void>;
  /** What node `index` has printed (for a failing test's message). */
  output(index: number): string;
  /** Kills every node and removes the store directories. */
  stop(): Promise<void>;
}

export async function startNatsCluster(options: { readonly size?: number } = {}): Promise<NatsCluster> {
  const binary = natsServerBinary();
  if (binary === undefined) throw new Error(NATS_SERVER_MISSING);
  const size = options.size ?? 3;
  const root = mkdtempSync(path.join(tmpdir(), "tagstream-nats-"));
  const nodes: Node[] = [];
  for (let index = 0; index < size; index++) {
    nodes.push({
      name: `n${index + 1}`,
      clientPort: await freePort(),
      clusterPort: await freePort(),
      storeDir: path.join(root, `n${index + 1}`),
      process: undefined,
      output: "",
    });
  }

  const launch = (node: Node): void => {
    const routes = nodes.filter((other) => other !== node).map((other) => `nats-route://127.0.0.1:${other.clusterPort}`);
    const args = [
      "-a", "127.0.0.1",
      "-p", String(node.clientPort),
      "-n", node.name,
      "-js", "-sd", node.storeDir,
      ...(size > 1 ? ["--cluster_name", "tagstream-test", "--cluster", `nats://127.0.0.1:${node.clusterPort}`, "--routes", routes.join(",")] : []),
    ];
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    node.output = "";
    const keep = (chunk: Buffer): void => {
      node.output = (node.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    node.process = child;
  };

  const kill = async (node: Node): Promise<void> => {
    const child = node.process;
    node.process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
  };

  const start = async (node: Node): Promise<void> => {
    launch(node);
    await accepting(node, 10_000);
  };
  const startAndJoin = async (node: Node): Promise<void> => {
    await start(node);
    await jetStreamReady([`nats://127.0.0.1:${node.clientPort}`], 30_000, nodes.filter((other) => other.process !== undefined).length);
  };

  const cluster: NatsCluster = {
    url: nodes.map((node) => `nats://127.0.0.1:${node.clientPort}`).join(","),
    urls: nodes.map((node) => `nats://127.0.0.1:${node.clientPort}`),
    kill: (index) => kill(nodes[index] as Node),
    start: (index) => startAndJoin(nodes[index] as Node),
    killAll: async () => {
      await Promise.all(nodes.map(kill));
    },
    startAll: async () => {
      await Promise.all(nodes.filter((node) => node.process === undefined).map(start));
      await jetStreamReady(cluster.urls, 30_000, size);
    },
    output: (index) => (nodes[index] as Node).output,
    async stop() {
      await Promise.all(nodes.map(kill));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map(start));
    await jetStreamReady(cluster.urls, 30_000, size);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/**
 * Resolves once JetStream answers through `urls`: a cluster's nodes accept connections before they
 * have elected the meta leader that JetStream's API needs.
 */
async function jetStreamReady(urls: readonly string[], timeoutMs: number, replicas = 1): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const connection = await connect({ servers: [...urls], name: "cluster-readiness" });
  try {
    let last = "";
    while (Date.now() < deadline) {
      try {
        const reply = await connection.request("$JS.API.INFO", "", { timeout: 1000 });
        const info = reply.json<{ error?: { description: string } }>();
        // Answering is not enough after a node came back: until the meta group counts it as current,
        // a stream with a replica on every node cannot be placed ("peer offline"). A probe stream can.
        if (info.error === undefined && (replicas === 1 || (await placesReplicas(connection, replicas)))) return;
        last = info.error?.description ?? "a stream of every node's replicas cannot be placed yet";
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`JetStream did not become ready within ${timeoutMs} ms: ${last}`);
  } finally {
    await connection.close();
  }
}

/** Whether a stream with `replicas` replicas can be created now (the probe is deleted again). */
async function placesReplicas(connection: NatsConnection, replicas: number): Promise<boolean> {
  const name = `READINESS_${process.pid}_${Date.now()}`;
  const created = await connection.request(
    `$JS.API.STREAM.CREATE.${name}`,
    JSON.stringify({ name, subjects: [`readiness.${name}`], num_replicas: replicas, storage: "memory" }),
    { timeout: 2000 },
  );
  if (created.json<{ error?: unknown }>().error !== undefined) return false;
  await connection.request(`$JS.API.STREAM.DELETE.${name}`, "", { timeout: 2000 });
  return true;
}

/** Resolves once `node` accepts TCP connections on its client port (and has said it is ready). */
async function accepting(node: Node, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const child = node.process;
    if (child === undefined || child.exitCode !== null) {
      throw new Error(`nats-server ${node.name} exited at start:\n${node.output}`);
    }
    if (node.output.includes("Server is ready") && (await connects(node.clientPort))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nats-server ${node.name} did not accept connections within ${timeoutMs} ms:\n${node.output}`);
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
