/**
 * An aggregator that stalls (SIGSTOP here; a suspended VM or a long GC pause alike) for longer than
 * INGEST_IDLE_TIMEOUT while the ingestor goes on writing. When it resumes, its idle timer is due
 * before it has read what arrived meanwhile: every line must still be counted, exactly, and the
 * ingestor must carry on once the connection really is idle and closed. Real processes and sockets.
 */
import { describe, expect, it } from "vitest";
import { LineSender } from "../../server/ingestor/output/line-sender.ts";
import { encodePlainLine } from "../../shared/line-protocol.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { ranked, startServe, stateDir, waitFor } from "./serve-process.ts";

const BEFORE = 500;
const DURING = 12_000;
const AFTER = 300;
const IDLE_TIMEOUT_MS = 1000;

describe("an aggregator stalled past INGEST_IDLE_TIMEOUT", () => {
  it("counts every line written before, during and after the stall", async () => {
    const serve = await startServe({
      STATE_DIR: stateDir(),
      INGEST_IDLE_TIMEOUT: `${IDLE_TIMEOUT_MS}ms`,
      TRIGGER_INTERVAL: "100ms",
      WINDOWS: "complete",
    });
    const sender = new LineSender(
      { host: "127.0.0.1", port: serve.ingestPort, maxQueueLines: 100_000, maxQueueBytes: 16 * 1024 ** 2, backoff: { baseMs: 10, capMs: 50 } },
      silentLogger,
    );
    let last = 0;
    const counted = async (): Promise<number> => {
      last = (await serve.top("complete")).find((entry) => entry.tag === "stall")?.count ?? 0;
      return last;
    };
    try {
      for (let i = 0; i < BEFORE; i++) sender.send(encodePlainLine(["stall"]));
      await waitFor(async () => (await counted()) === BEFORE, 30_000, () => `before the stall: ${last} of ${BEFORE} counted`);

      serve.child.kill("SIGSTOP");
      for (let i = 0; i < DURING; i++) sender.send(encodePlainLine(["stall"]));
      // The stall itself: longer than the idle timeout, so that its timer is due on resumption.
      await new Promise((resolve) => setTimeout(resolve, IDLE_TIMEOUT_MS * 2.5));
      serve.child.kill("SIGCONT");
      await waitFor(async () => (await counted()) >= BEFORE + DURING, 30_000, () => `after the stall: ${last} of ${BEFORE + DURING} counted`);
      expect(await counted()).toBe(BEFORE + DURING);

      // Now truly idle: the aggregator closes the connection in order, the sender reconnects and
      // sends what comes next on the new connection.
      await waitFor(() => sender.stats.connects === 2 && sender.stats.connected, 30_000, () => "no reconnection after the idle close");
      for (let i = 0; i < AFTER; i++) sender.send(encodePlainLine(["stall"]));
      await waitFor(async () => (await counted()) >= BEFORE + DURING + AFTER, 30_000, () => `after the reconnection: ${last} of ${BEFORE + DURING + AFTER} counted`);
      expect(await serve.top("complete")).toEqual(ranked({ stall: BEFORE + DURING + AFTER }));
      expect(sender.stats).toMatchObject({ sent: BEFORE + DURING + AFTER, dropped: 0, unconfirmed: 0, queued: 0 });
    } finally {
      await sender.close();
    }
    const metrics = await (await fetch(`${serve.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/reason="idle-timeout"} 1\n/);
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
  }, 90_000);
});
