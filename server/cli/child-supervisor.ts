/**
 * Runs the product's processes under one command: each child's output is prefixed with its name,
 * a stop signal is passed to every child (the last started first), and when one child ends the
 * others are stopped too, so nothing is left running half-wired. The exit code is that of the
 * first child to end (0 when stopped by a signal).
 *
 * A child marked `waitReady` is waited for before the next one starts: it says "ready" over the IPC
 * channel once it serves (run-main.ts), so the ingestor never knocks at an intake not yet open.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ChildSpec {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Start the next child only once this one has reported that it is ready. */
  readonly waitReady?: boolean;
}

export interface SupervisorOptions {
  /** How long a child may take to stop after SIGTERM before it is killed. */
  readonly stopTimeoutMs?: number;
  readonly write?: (line: string) => void;
  readonly colour?: boolean;
}

const COLOURS = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m"];
const RESET = "\x1b[0m";

export async function superviseChildren(specs: readonly ChildSpec[], options: SupervisorOptions = {}): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const width = Math.max(...specs.map((s) => s.name.length));
  const children: ChildProcess[] = [];
  let stopping = false;
  let exitCode: number | undefined;

  const exits: Array<Promise<void>> = [];
  const start = (spec: ChildSpec, index: number): Promise<void> => {
    const colour = options.colour ? (COLOURS[index % COLOURS.length] ?? "") : "";
    const prefix = `${colour}[${spec.name.padEnd(width)}]${colour ? RESET : ""} `;
    // The children run with the same Node flags as this process (tsx's loader included).
    const child = spawn(process.execPath, [...process.execArgv, spec.script, ...spec.args], {
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe", ...(spec.waitReady === true ? (["ipc"] as const) : [])],
    });
    children.push(child);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => write(prefix + line));
    }
    const exited = new Promise<void>((resolve) => {
      child.on("exit", (code, signal) => {
        if (!stopping) {
          write(`${prefix}exited (${signal ?? `code ${code}`}); stopping the others`);
          exitCode = code ?? 1;
          stopAll();
        }
        resolve();
      });
    });
    exits.push(exited);
    if (spec.waitReady !== true) return Promise.resolve();
    // Settles on "ready", or when the child ends without having said it.
    return Promise.race([new Promise<void>((resolve) => child.on("message", (message) => message === "ready" && resolve())), exited]);
  };

  // Last started, first stopped: the ingestor ends before the aggregator it writes to, so neither
  // sees the other vanish, and the aggregator's final checkpoint holds every line sent.
  const stopAll = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      for (const child of [...children].reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const kill = setTimeout(() => child.kill("SIGKILL"), options.stopTimeoutMs ?? 5000);
        await exited;
        clearTimeout(kill);
      }
    })();
  };
  const onSignal = (): void => {
    if (exitCode === undefined) exitCode = 0;
    stopAll();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  for (const [index, spec] of specs.entries()) {
    if (stopping) break;
    await start(spec, index);
  }
  await Promise.all(exits);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  return exitCode ?? 0;
}
