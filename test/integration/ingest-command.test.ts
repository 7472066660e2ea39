/**
 * `npm run ingest` as a user runs it: a refused token ends the process at once with exit code 1
 * and one plain line that names the cause and the fix; a replay ends with exit code 0 once every
 * line has reached the aggregator.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { harness, simulatedMastodon, tickUntil } from "./ingest-fixture.ts";
import { commandArgs } from "../support/commands.ts";

const SAMPLE = fileURLToPath(new URL("../fixtures/mastodon-sample.jsonl", import.meta.url));

function runIngest(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, commandArgs("ingest", ...args), {
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

  it("replays a recording to the aggregator and exits 0 when it is over", async () => {
    const h = await harness();
    const run = runIngest(["--replay", SAMPLE, "--speed", "0"], { INGEST_PORT: String(h.aggregator.intake.port), MASTODON_TOKEN: "" });
    expect(await run.exited).toBe(0);
    const snapshot = await tickUntil(h, (s) => s.stats.ingestors === 0 && s.stats.lines > 0);
    expect(snapshot.instances).toEqual([]);
    expect(snapshot.windows[1]?.top.length).toBeGreaterThan(10);
    expect(run.output().stderr).toBe("");
  }, 30_000);
});
