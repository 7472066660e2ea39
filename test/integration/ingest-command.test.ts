/**
 * `npm run ingest` as a user runs it, against the simulated server: a refused token ends the
 * process at once with exit code 1 and one plain line that names the cause and the fix.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { simulatedMastodon } from "./ingest-fixture.ts";

function runIngest(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "server/cli/ingest.ts", ...args], {
    env: { ...process.env, LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe("ingest command", () => {
  it("exits 1 with one clear message when the server refuses the token", async () => {
    const server = await simulatedMastodon();
    const run = runIngest([], {
      MASTODON_URL: server.restUrl,
      MASTODON_TOKEN: "not-the-token",
      INGEST_PORT: String(await freePort()),
    });
    const code = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 15_000))]);
    if (code === "still running") run.child.kill("SIGKILL");
    expect(code).toBe(1);
    const lines = run.output().stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ingest: 127\.0\.0\.1:\d+ refused the access token \(HTTP 401: Invalid access token\)\. Create a user access token with the read:statuses scope at /);
    expect(lines[0]).toMatch(/then set it as MASTODON_TOKEN_127_0_0_1_\d+ or MASTODON_TOKEN\.$/);
    expect(server.connections()).toBe(0);
  }, 30_000);
});
