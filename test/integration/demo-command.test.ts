/**
 * `npm run demo` with DEMO_TOKEN: the simulated server accepts the pinned token, so an ingestor
 * started apart keeps working when the demo restarts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runSession } from "../../server/ingestor/mastodon/mastodon-session.ts";
import { freePort } from "../support/free-port.ts";
import { commandArgs } from "../support/commands.ts";

/**
 * `npm run demo` on a free port and the one after it (its streaming server). Another test may take
 * the second between the check and the bind: the demo then exits at once, and starts again on others.
 */
async function startDemo(): Promise<{ port: number; child: ChildProcess; stdout: () => string; exited: Promise<number | null> }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, commandArgs("demo", "--demo-port", String(port)), {
      env: { ...process.env, DEMO_TOKEN: "pinned-demo-token", LOG_FORMAT: "json" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const ready = await Promise.race([
      expect.poll(() => stdout.includes("npm run ingest"), { timeout: 20_000 }).toBe(true).then(() => true),
      exited.then(() => false),
    ]);
    if (ready) return { port, child, stdout: () => stdout, exited };
    if (attempt === 3 || !stderr.includes("in use")) throw new Error(`npm run demo exited at start:\n${stdout}${stderr}`);
  }
}

describe("demo command", () => {
  it("prints and accepts the token DEMO_TOKEN pins", async () => {
    const { port, child, stdout: printed, exited } = await startDemo();
    try {
      const stdout = printed();
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
