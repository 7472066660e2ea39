/**
 * `npm run demo` with DEMO_TOKEN: the simulated server accepts the pinned token, so an ingestor
 * started apart keeps working when the demo restarts.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runSession } from "../../server/ingestor/mastodon/mastodon-session.ts";
import { freePort } from "../support/free-port.ts";
import { commandArgs } from "../support/commands.ts";

describe("demo command", () => {
  it("prints and accepts the token DEMO_TOKEN pins", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, commandArgs("demo", "--demo-port", String(port)), {
      env: { ...process.env, DEMO_TOKEN: "pinned-demo-token", LOG_FORMAT: "json" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => stdout.includes("npm run ingest"), { timeout: 20_000 }).toBe(true);
      expect(stdout).toContain(`MASTODON_URL=http://127.0.0.1:${port} MASTODON_TOKEN=pinned-demo-token npm run ingest\n`);
      // The streaming server takes the pinned token: a session hears the stream.
      const abort = new AbortController();
      const events: unknown[] = [];
      const session = runSession({
        streamingUrl: `ws://127.0.0.1:${port + 1}`,
        token: "pinned-demo-token",
        stream: { kind: "public" },
        silenceTimeoutMs: 60_000,
        signal: abort.signal,
        onEvent: (event) => {
          events.push(event);
          abort.abort();
        },
      });
      const result = await session;
      expect(result.end).toEqual({ kind: "stopped" });
      // Stopped by its first event (frames already read may follow it before the socket closes).
      expect(events.length).toBeGreaterThanOrEqual(1);
      expect(result.opened).toBe(true);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 30_000);
});
