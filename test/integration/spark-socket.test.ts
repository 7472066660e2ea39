/**
 * The Spark-compatible mode: `--listen PORT --format plain` behaves like the textbook's tag
 * streamer. It listens, waits for a reader before it subscribes, then writes one line of
 * space-separated hashtags per tagged post. The reader here does what Spark's socket source does:
 * it connects, splits what it reads on newlines and keeps each line, as is, as a row's `value`.
 */
import { spawn } from "node:child_process";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import { freePort } from "../support/free-port.ts";
import { captureLog } from "./log-capture.ts";
import { ingestor, onCleanup, simulatedMastodon, waitUntil } from "./ingest-fixture.ts";
import { commandArgs } from "../support/commands.ts";

/** Connects like Spark's socket source and collects the rows it would make. */
async function sparkLikeReader(port: number): Promise<{ rows: string[]; socket: net.Socket }> {
  const rows: string[] = [];
  let partial = "";
  const socket = net.createConnection(port, "127.0.0.1");
  onCleanup(async () => void socket.destroy());
  socket.setEncoding("utf8");
  socket.on("data", (text: string) => {
    const parts = (partial + text).split("\n");
    partial = parts.pop() ?? "";
    rows.push(...parts);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return { rows, socket };
}

describe("Spark-compatible plain lines", () => {
  it("waits for a reader, then streams each tagged post's hashtags as one plain line", async () => {
    const server = await simulatedMastodon();
    const captured = captureLog();
    const listen = { output: { kind: "listen", host: "127.0.0.1", port: 0 }, format: "plain", log: captured.log } as const;
    const ing = await ingestor([server], 0, listen, { subscribed: false });
    // The ingestor says what it does, in order: following would begin with "subscribing", at once
    // when nothing held it back, so it must come after the reader, not before.
    const said = () => captured.entries.map((entry) => entry.msg);
    expect(said()).toEqual(["waiting for a reader before streaming"]);
    expect(server.connections()).toBe(0);

    const reader = await sparkLikeReader(ing.listenPort as number);
    await server.waitForSubscription(["public"]);
    expect(said().slice(0, 3)).toEqual(["waiting for a reader before streaming", "line reader connected", "subscribing to Mastodon stream"]);
    server.publish({ event: "update", status: craftStatus({ id: "1", acct: "a@x.example", tags: ["Rust", "python"] }) });
    server.publish({ event: "update", status: craftStatus({ id: "2", acct: "b@x.example", tags: [] }) });
    server.publish({ event: "update", status: craftStatus({ id: "3", acct: "c@x.example", tags: ["Café"] }) });
    server.publish({ event: "status.update", status: craftStatus({ id: "1", acct: "a@x.example", tags: ["rust", "go"] }) });
    server.publish({ event: "delete", status: craftStatus({ id: "3", acct: "c@x.example" }) });
    server.publish({ event: "update", status: craftStatus({ id: "4", acct: "d@x.example", tags: ["日本", "rust"] }) });
    await waitUntil(() => reader.rows.length === 3);
    await waitUntil(() => ing.stats.statuses === 4 && ing.stats.deletes === 1);

    expect(reader.rows).toEqual(["rust python", "cafe", "日本 rust"]);
    expect(ing.output).toMatchObject({ sent: 3, dropped: 0, connected: true });
  });

  it("serves every connected reader and drops, counted, what arrives while none is connected", async () => {
    const server = await simulatedMastodon();
    const ing = await ingestor([server], 0, { output: { kind: "listen", host: "127.0.0.1", port: 0 }, format: "plain" }, { subscribed: false });
    const first = await sparkLikeReader(ing.listenPort as number);
    const second = await sparkLikeReader(ing.listenPort as number);
    await server.waitForSubscription(["public"]);
    server.publish({ event: "update", status: craftStatus({ id: "1", acct: "a@x.example", tags: ["both"] }) });
    await waitUntil(() => first.rows.length === 1 && second.rows.length === 1);
    expect([first.rows, second.rows]).toEqual([["both"], ["both"]]);

    first.socket.destroy();
    second.socket.destroy();
    await waitUntil(() => !ing.output.connected);
    server.publish({ event: "update", status: craftStatus({ id: "2", acct: "a@x.example", tags: ["unread"] }) });
    await waitUntil(() => ing.stats.statuses === 2);
    expect(ing.output).toMatchObject({ sent: 2, dropped: 1 });

    const third = await sparkLikeReader(ing.listenPort as number);
    server.publish({ event: "update", status: craftStatus({ id: "3", acct: "a@x.example", tags: ["later"] }) });
    await waitUntil(() => third.rows.length === 1);
    expect(third.rows).toEqual(["later"]);
  });
});

describe("npm run ingest -- --listen PORT --format plain", () => {
  it("streams plain lines from the demo to a reader that connects, and stops cleanly", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, commandArgs("ingest", "--listen", String(port), "--format", "plain", "--demo", "--demo-rate", "300"), {
      env: { ...process.env, LOG_FORMAT: "json", MASTODON_TOKEN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    try {
      await waitUntil(() => output.includes("waiting for a reader before streaming"), 15_000, "the listening ingestor");
      const reader = await sparkLikeReader(port);
      await waitUntil(() => reader.rows.length >= 10, 15_000, "ten rows");
      for (const row of reader.rows.slice(0, 10)) {
        const words = row.split(" ");
        expect(words.length).toBeGreaterThan(0);
        for (const word of words) expect(normaliseHashtag(word)).toBe(word);
      }
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 40_000);
});
