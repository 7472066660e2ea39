/**
 * `npm start`'s supervisor as a user runs it: two child processes (serve, ingest in demo mode)
 * joined by the TCP line socket; counts appear within a trigger; SIGTERM stops everything with 0.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { topResponseSchema } from "../../shared/messages.ts";
import { freePort } from "../support/free-port.ts";
import { commandArgs } from "../support/commands.ts";


describe("start command", () => {
  it("runs serve and ingest in demo mode, counts posts, and stops both on SIGTERM", async () => {
    const [httpPort, ingestPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, commandArgs("start", "--trigger", "300ms", "--demo-rate", "200"), {
      env: {
        ...process.env,
        HTTP_PORT: String(httpPort),
        INGEST_PORT: String(ingestPort),
        MASTODON_TOKEN: "",
        LOG_FORMAT: "json",
        // Its checkpoint goes to a directory of its own, not ./data of the checkout.
        STATE_DIR: mkdtempSync(join(tmpdir(), "start-command-")),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    try {
      const deadline = Date.now() + 20_000;
      let top: ReturnType<typeof topResponseSchema.parse> | undefined;
      while (Date.now() < deadline) {
        try {
          const response = await fetch(`http://127.0.0.1:${httpPort}/api/top?window=complete&n=5`);
          top = topResponseSchema.parse(await response.json());
          if (top.top.length === 5) break;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(top?.top).toHaveLength(5);
      const health = (await (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).json()) as { ingestors: number };
      expect(health.ingestors).toBe(1);
      expect(output).toContain("DEMO MODE");
      expect(output).toMatch(/^\[serve \] /m);
      expect(output).toMatch(/^\[ingest\] /m);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    // Both children logged their shutdown: nothing was left running.
    expect(output.match(/"msg":"shutting down"/g)).toHaveLength(2);
    // The ingestor started once the intake listened: no failed first connection. The demo notice
    // is the only warning.
    const warnings = output.split("\n").filter((line) => /"level":(40|50|60)/.test(line));
    expect(warnings.map((line) => (JSON.parse(line.replace(/^\[\w+ *\] /, "")) as { msg: string }).msg)).toEqual([
      "DEMO MODE: no MASTODON_TOKEN set; streaming from the built-in simulated Mastodon server",
    ]);
  }, 40_000);
});
