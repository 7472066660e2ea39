/**
 * `serve` as a child process, as an operator runs it, on free ports and a STATE_DIR of the test's
 * own: for what only a real process shows (signals, SIGKILL, exit codes, a restart).
 */
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AggregatorState } from "../../server/aggregator/state/aggregator-state.ts";
import { CHECKPOINT_FILE, decodeCheckpoint } from "../../server/aggregator/checkpoint/checkpoint-file.ts";
import { topResponseSchema, type TopEntry } from "../../shared/messages.ts";
import { freePort } from "../support/free-port.ts";
import { spawnCommand } from "../support/command-process.ts";

/** A fresh STATE_DIR. */
export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), "serve-state-"));
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  readonly ingestPort: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code, or the signal that ended the process. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** The complete top of a window as `/api/top` serves it. */
  top(window: string): Promise<TopEntry[]>;
}

export async function startServe(env: Readonly<Record<string, string>>): Promise<ServeProcess> {
  const [httpPort, ingestPort] = [await freePort(), await freePort()];
  const { child, output, exited } = spawnCommand("serve", { HTTP_PORT: String(httpPort), INGEST_PORT: String(ingestPort), LOG_FORMAT: "json", ...env });
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const serve: ServeProcess = {
    child,
    httpUrl,
    ingestPort,
    output,
    exited,
    async top(window) {
      const response = await fetch(`${httpUrl}/api/top?window=${window}&n=1000`);
      return topResponseSchema.parse(await response.json()).top;
    },
  };
  // Listening on HTTP means the intake is listening too: serve binds it first.
  await waitFor(async () => (await fetch(`${httpUrl}/healthz`)).ok, 30_000, () => `serve did not start:\n${output()}`);
  return serve;
}

/** Polls `check` until it returns true (errors count as false). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The checkpoint in `dir` as its writer left it, without moving anything; undefined while there is none. */
export async function readSavedState(dir: string): Promise<AggregatorState | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, CHECKPOINT_FILE));
  } catch {
    return undefined;
  }
  const decoded = await decodeCheckpoint(bytes);
  if ("reason" in decoded) throw new Error(`checkpoint unreadable: ${decoded.reason}`);
  return decoded.state as AggregatorState;
}

/** An open ingest connection. */
export async function connectIngest(port: number): Promise<net.Socket> {
  const socket = net.createConnection(port, "127.0.0.1");
  await once(socket, "connect");
  return socket;
}

/** Writes lines on a fresh connection and waits until the server has read them all. */
export async function sendAll(port: number, data: string): Promise<void> {
  const socket = await connectIngest(port);
  socket.end(data);
  // The server closes its side after reading our FIN: then every byte has been read.
  await once(socket, "close");
}

/** Expected top entries from tag counts: count descending, then tag (the wire's order). */
export function ranked(counts: Readonly<Record<string, number>>): TopEntry[] {
  // These lines carry no author, and none of these tags trends: no accounts, a score of 0.
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([tag, count], index) => ({ tag, count, rank: index + 1, accounts: 0, score: 0 }));
}
