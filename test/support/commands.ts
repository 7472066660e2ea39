/**
 * The commands as users run them: the compiled JavaScript in dist/server that `npm start` and
 * `npm run serve|ingest|demo|count|web` execute, built once by the test run's global setup.
 */
import { execFileSync } from "node:child_process";

export type Command = "start" | "serve" | "ingest" | "demo" | "count" | "web";

/** Node's arguments to run `command` with `args`. */
export function commandArgs(command: Command, ...args: readonly string[]): string[] {
  return [`dist/server/${command}.js`, ...args];
}

/** vitest's global setup: compile the commands, so that no test runs an older build. */
export function setup(): void {
  execFileSync(process.execPath, ["scripts/build-server.mjs"], { stdio: "inherit" });
}
