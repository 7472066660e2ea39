/**
 * A command (dist/server/<command>.js) as a child process, as an operator runs it, with what it
 * prints kept for a failing test's message. Whatever a test leaves running is killed after it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach } from "vitest";
import { commandArgs, type Command } from "./commands.ts";

const running = new Set<ChildProcess>();
// A test that failed half-way leaves no process behind.
afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
});

export interface CommandProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code, or the signal that ended the process. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

export function spawnCommand(command: Command, env: Readonly<Record<string, string>>): CommandProcess {
  const child = spawn(process.execPath, commandArgs(command), { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.on("exit", () => running.delete(child));
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  return { child, output: () => output, exited };
}
