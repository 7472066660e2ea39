/**
 * Load generators, subjects under test and baselines each run in a process of their own, so that
 * a figure measures one process's core and not the harness's. Children are tsx scripts forked with
 * an IPC channel; they speak plain `{ type, ... }` messages.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface Message {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface Child {
  send(message: Message): void;
  /** The next message of `type` (one already received counts), or a rejection if the child exits first. */
  next<T extends Message = Message>(type: string): Promise<T>;
  /** Sends `request` and waits for the reply of type `replyType`. */
  ask<T extends Message = Message>(request: Message, replyType: string): Promise<T>;
  /** Asks the child to stop and waits for it, killing it after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const PROCESSES = new URL("../processes/", import.meta.url);

/** Forks `bench/processes/<script>` with its options as JSON in argv[2]. */
export function startChild(script: string, options: object = {}, execArgv: readonly string[] = []): Child {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, PROCESSES)), [JSON.stringify(options)], {
    execArgv: ["--import", "tsx", ...execArgv],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const queue: Message[] = [];
  const waiting: Array<{ type: string; resolve: (m: Message) => void; reject: (e: Error) => void }> = [];
  let exited: Error | undefined;
  child.on("message", (raw) => {
    const message = raw as Message;
    const index = waiting.findIndex((w) => w.type === message.type);
    if (index === -1) queue.push(message);
    else waiting.splice(index, 1)[0]?.resolve(message);
  });
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = new Error(`${script} exited (${signal ?? code}) before answering`);
      for (const w of waiting.splice(0)) w.reject(exited);
      resolve();
    }),
  );
  const next = <T extends Message>(type: string): Promise<T> => {
    const index = queue.findIndex((m) => m.type === type);
    if (index !== -1) return Promise.resolve(queue.splice(index, 1)[0] as T);
    if (exited !== undefined) return Promise.reject(exited);
    return new Promise<T>((resolve, reject) => waiting.push({ type, resolve: resolve as (m: Message) => void, reject }));
  };
  return {
    send: (message) => child.send(message),
    next,
    ask(request, replyType) {
      child.send(request);
      return next(replyType);
    },
    async stop(graceMs = 5000) {
      if (exited === undefined && child.connected) child.send({ type: "stop" });
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The options a child was started with. */
export function childOptions<T>(): T {
  return JSON.parse(process.argv[2] ?? "{}") as T;
}

/** Sends a message to the parent process. */
export function tell(message: Message): void {
  process.send?.(message);
}

/** Calls `handler` for each message of `type` from the parent; "stop" exits the process by default. */
export function onParent(type: string, handler: (message: Message) => void | Promise<void>): void {
  process.on("message", (raw) => {
    const message = raw as Message;
    if (message.type === type) void handler(message);
  });
}

/** A monotonic timestamp in milliseconds that every process on this machine shares (CLOCK_MONOTONIC). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
