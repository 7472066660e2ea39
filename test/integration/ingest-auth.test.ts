/**
 * INGEST_TOKEN on the real line socket: the first line of a connection must be `AUTH <token>`;
 * anything else closes it (`ERR unauthorised`), counted, with nothing of it counted. The ingestor
 * sends the line itself. Neither the token nor a wrong one presented ever reaches a log line.
 */
import net from "node:net";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../server/aggregator/engine/counting-engine.ts";
import { IngestReports } from "../../server/aggregator/state/ingest-reports.ts";
import { IntakeStats } from "../../server/aggregator/state/intake-stats.ts";
import { countingHandler, startLineIntake } from "../../server/aggregator/intake/line-intake.ts";
import { PostLedger } from "../../server/aggregator/state/post-ledger.ts";
import { LineSender } from "../../server/ingestor/output/line-sender.ts";
import { encodeHelloLine } from "../../shared/line-protocol.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { harness, onCleanup, tickUntil, waitUntil } from "./ingest-fixture.ts";
import { captureLog } from "./log-capture.ts";

const TOKEN = "s3cret-ingest-token-0123456789";
const WRONG = "s3cret-ingest-token-0123456780";

/** Sends `data` on a fresh connection and resolves with what the server wrote back once it closed. */
async function exchange(port: number, data: string | Buffer): Promise<string> {
  const socket = net.createConnection(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
  socket.on("error", () => {});
  await once(socket, "connect");
  socket.write(data);
  await once(socket, "close");
  return received;
}

const sender = (port: number, token: string | undefined, log = silentLogger): LineSender => {
  const lines = new LineSender(
    {
      host: "127.0.0.1",
      port,
      maxQueueLines: 100,
      maxQueueBytes: 1024 * 1024,
      token,
      helloLine: encodeHelloLine({ source: "live", instances: ["a.example"] }),
      backoff: { baseMs: 20, capMs: 100 },
    },
    log,
  );
  onCleanup(() => lines.close());
  return lines;
};

describe("ingest token", () => {
  it("counts a connection's lines only after AUTH with the right token", async () => {
    const h = await harness({ windows: [{ kind: "complete" }], ingestToken: TOKEN });
    const socket = net.createConnection(h.aggregator.intake.port, "127.0.0.1");
    onCleanup(async () => void socket.destroy());
    await once(socket, "connect");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Not an ingestor yet: the snapshot does not count it.
    expect(h.aggregator.stats.connections).toBe(0);
    socket.write(`AUTH ${TOKEN}\r\nrust python\n{"tags":["Rust"],"ts":1}\n`);
    const snapshot = await tickUntil(h, (s) => s.stats.lines === 2);
    expect(snapshot.windows[0]?.top.map((e) => [e.tag, e.count])).toEqual([
      ["rust", 2],
      ["python", 1],
    ]);
    expect(snapshot.stats).toMatchObject({ rejected: 0, ingestors: 1 });
    expect(h.aggregator.stats.closedConnections.size).toBe(0);
  });

  it("closes with ERR unauthorised, counted, on a wrong, missing or malformed AUTH, and counts nothing of it", async () => {
    const h = await harness({ windows: [{ kind: "complete" }], ingestToken: TOKEN });
    const port = h.aggregator.intake.port;
    const attempts = [
      `AUTH ${WRONG}\nrust\n`,
      `AUTH ${TOKEN.slice(0, -1)}\nrust\n`,
      `AUTH ${TOKEN}x\nrust\n`,
      `auth ${TOKEN}\nrust\n`,
      `AUTH  ${TOKEN}\nrust\n`,
      "AUTH\nrust\n",
      "rust\n",
      `{"tags":["rust"]}\nAUTH ${TOKEN}\nrust\n`,
      Buffer.concat([Buffer.from("AUTH "), Buffer.from([0xff]), Buffer.from(`\nAUTH ${TOKEN}\nrust\n`)]),
      `${"a".repeat(70 * 1024)}\nAUTH ${TOKEN}\nrust\n`,
    ];
    for (const attempt of attempts) expect(await exchange(port, attempt)).toBe("ERR unauthorised\n");
    const { snapshot } = h.aggregator.tick();
    expect(snapshot.stats).toMatchObject({ lines: 0, tags: 0, rejected: 0, ingestors: 0 });
    expect(h.aggregator.stats.closedConnections.get("unauthorised")).toBe(attempts.length);
  });

  it("closes a connection that does not authenticate in time", async () => {
    const engine = new CountingEngine({ windows: [{ kind: "complete" }], topN: 10, now: 0 });
    const stats = new IntakeStats();
    const intake = await startLineIntake(
      { host: "127.0.0.1", port: 0, maxConnections: 4, idleTimeoutMs: 60_000, token: TOKEN, authTimeoutMs: 200 },
      countingHandler({ engine, posts: new PostLedger(engine, { maxEntries: 10, maxAgeMs: 60_000 }, () => 0), stats }),
      stats,
      new IngestReports(),
      silentLogger,
    );
    onCleanup(() => intake.close());
    const started = Date.now();
    expect(await exchange(intake.address.port, "")).toBe("ERR unauthorised\n");
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(stats.closedConnections.get("unauthorised")).toBe(1);
  });

  it("the ingestor sends AUTH first: with the right token its lines count, with a wrong one it is refused and says so", async () => {
    const aggregatorLog = captureLog();
    const h = await harness({ windows: [{ kind: "complete" }], ingestToken: TOKEN, log: aggregatorLog.log });
    const port = h.aggregator.intake.port;

    const rightLog = captureLog();
    const right = sender(port, TOKEN, rightLog.log);
    right.send("rust\n");
    await tickUntil(h, (s) => s.stats.lines === 1 && s.stats.ingestors === 1);

    const wrongLog = captureLog();
    const wrong = sender(port, WRONG, wrongLog.log);
    wrong.send("python\n");
    await waitUntil(() => wrongLog.withMessage("aggregator refused the connection: INGEST_TOKEN is missing or not the aggregator's").length === 1);
    const anonymousLog = captureLog();
    const anonymous = sender(port, undefined, anonymousLog.log);
    anonymous.send("zig\n");
    await waitUntil(() => anonymousLog.entries.some((entry) => entry.reason === "unauthorised"));
    await waitUntil(() => (h.aggregator.stats.closedConnections.get("unauthorised") ?? 0) >= 2);

    const { snapshot } = h.aggregator.tick();
    expect(snapshot.stats).toMatchObject({ lines: 1, ingestors: 1 });
    expect(h.aggregator.countsOf("python").windows.complete).toBe(0);
    expect(h.aggregator.countsOf("zig").windows.complete).toBe(0);
    expect(wrongLog.entries.find((entry) => entry.reason === "unauthorised")).toMatchObject({ level: 50, refusals: 1 });

    // No token, right or wrong, in any log line of either side.
    for (const { entries } of [aggregatorLog, rightLog, wrongLog, anonymousLog]) {
      const text = JSON.stringify(entries);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(WRONG);
      expect(text).not.toContain("s3cret");
    }
    expect(aggregatorLog.withMessage("ingest connection refused")[0]).toMatchObject({ reason: "unauthorised", count: 1 });
  });
});
