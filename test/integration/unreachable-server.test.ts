/**
 * A Mastodon server that cannot be reached: the message says what happened (connection refused,
 * a blocked port, not a Mastodon server), and under `npm start` a refused connection is retried
 * with backoff while the dashboard stays up, until the server answers.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverInstance, StreamingUrlError } from "../../server/ingestor/mastodon/streaming-url.ts";
import { freePort } from "../support/free-port.ts";
import { simulatedMastodon } from "./ingest-fixture.ts";
import { commandArgs } from "../support/commands.ts";

async function discoveryError(url: string): Promise<StreamingUrlError> {
  const error = await discoverInstance(url).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(StreamingUrlError);
  return error as StreamingUrlError;
}

describe("discovering an unreachable server", () => {
  it("says the connection was refused, and that trying again may help", async () => {
    const port = await freePort();
    const error = await discoveryError(`http://127.0.0.1:${port}`);
    expect(error.message).toBe(`could not reach http://127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
    expect(error.transient).toBe(true);
  });

  it("says fetch refuses a blocked port such as 1, which no retry fixes", async () => {
    const error = await discoveryError("http://127.0.0.1:1");
    expect(error.message).toBe("could not reach http://127.0.0.1:1: fetch refuses this port (a blocked port such as 1, 25 or 6000): use another port");
    expect(error.transient).toBe(false);
  });

  it("asks whether it is a Mastodon server only when something answered", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await discoveryError(`http://127.0.0.1:${port}`);
      expect(error.message).toMatch(new RegExp(`^could not find the streaming API of http://127\\.0\\.0\\.1:${port}: is it a Mastodon server\\? \\(.+; MASTODON_STREAMING_URL skips discovery\\)$`));
      expect(error.transient).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe("npm start with the server unreachable at first", () => {
  it("keeps serve up and retries until the server answers, then follows it", async () => {
    const [httpPort, ingestPort, mastodonPort] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(process.execPath, commandArgs("start", "--trigger", "300ms"), {
      env: {
        ...process.env,
        HTTP_PORT: String(httpPort),
        INGEST_PORT: String(ingestPort),
        MASTODON_URL: `http://127.0.0.1:${mastodonPort}`,
        MASTODON_TOKEN: "pinned-token",
        RECONNECT_BASE: "50ms",
        RECONNECT_CAP: "200ms",
        LOG_FORMAT: "json",
        STATE_DIR: mkdtempSync(join(tmpdir(), "unreachable-")),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const retries = () => output.split("\n").filter((line) => line.includes('"msg":"Mastodon server unreachable; trying again"'));
    try {
      await expect.poll(() => retries().length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(3);
      expect(retries()[0]).toContain(`"cause":"could not reach http://127.0.0.1:${mastodonPort}: connection refused (ECONNREFUSED)"`);
      const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      expect(health.status).toBe(200);

      const server = await simulatedMastodon({ port: mastodonPort, token: "pinned-token" });
      await server.waitForSubscription(["public"]);
      await expect.poll(() => output.includes('"msg":"connected to Mastodon stream"'), { timeout: 10_000 }).toBe(true);
      const ingestors = async () => ((await (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).json()) as { ingestors: number }).ingestors;
      await expect.poll(ingestors, { timeout: 10_000 }).toBe(1);
      expect(output).not.toContain("exited (");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 40_000);
});
