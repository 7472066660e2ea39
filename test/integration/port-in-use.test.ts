/**
 * A port already taken is one plain line naming the port and the variable that sets it, exit 1,
 * not a stack trace: checked through the real `serve` and `ingest` processes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { commandArgs, type Command } from "../support/commands.ts";

const taken: Server[] = [];
afterEach(async () => {
  await Promise.all(taken.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function takePort(): Promise<number> {
  const server = createServer();
  taken.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function runServe(env: Record<string, string>, command: Command = "serve", args: readonly string[] = []) {
  const child = spawn(process.execPath, commandArgs(command, ...args), {
    env: { ...process.env, LOG_FORMAT: "json", STATE_DIR: mkdtempSync(join(tmpdir(), "port-in-use-")), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
}

describe("a port in use", () => {
  it("HTTP_PORT: one line naming the port and the variable, exit 1", async () => {
    const port = await takePort();
    const { code, stderr } = await runServe({ HTTP_PORT: String(port), INGEST_PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(stderr).toBe(`serve: port ${port} is already in use (HTTP_PORT); stop what uses it, or choose another port with HTTP_PORT or --port\n`);
  }, 20_000);

  it("INGEST_PORT: one line naming the port and the variable, exit 1", async () => {
    const port = await takePort();
    const { code, stderr } = await runServe({ HTTP_PORT: String(await freePort()), INGEST_PORT: String(port) });
    expect(code).toBe(1);
    expect(stderr).toBe(`serve: port ${port} is already in use (INGEST_PORT); stop what uses it, or choose another port with INGEST_PORT or --ingest-port\n`);
  }, 20_000);

  it("INGEST_LISTEN of `ingest --listen`: one line naming the port and the flag, exit 1", async () => {
    const port = await takePort();
    const { code, stderr } = await runServe({ MASTODON_TOKEN: "" }, "ingest", ["--listen", String(port)]);
    expect(code).toBe(1);
    expect(stderr).toBe(`ingest: port ${port} is already in use (INGEST_LISTEN); stop what uses it, or choose another port with INGEST_LISTEN or --listen\n`);
  }, 20_000);
});
