/**
 * What an operator sees while checkpoints fail: `/healthz` says "degraded" with the reason, the
 * failure is logged and counted in `/metrics`, the previous checkpoint stays, and the next write
 * that succeeds makes the state "ok" again.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startAggregator, type Aggregator } from "../../../server/aggregator/aggregator.ts";
import { CHECKPOINT_FILE, readCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-file.ts";
import { CheckpointHealth } from "../../../server/aggregator/checkpoint/checkpoint-health.ts";
import { buildApp } from "../../../server/http/app.ts";
import { captureLog } from "../../integration/log-capture.ts";
import { testLineSocket } from "../../support/line-socket.ts";
import { silentLogger } from "../../support/silent-logger.ts";

describe("CheckpointHealth", () => {
  it("is failing from the first failed write, with the failures in a row, until a write succeeds", () => {
    const health = new CheckpointHealth();
    expect(health.status()).toEqual({ state: "ok", lastWrittenAt: undefined });
    health.written(Date.UTC(2026, 0, 1, 12));
    health.failed(new Error("ENOSPC: no space left on device"), Date.UTC(2026, 0, 1, 12, 0, 30));
    health.failed(new Error("EIO: i/o error"), Date.UTC(2026, 0, 1, 12, 1));
    expect(health.status()).toEqual({
      state: "failing",
      reason: "EIO: i/o error",
      failingSince: "2026-01-01T12:00:30.000Z",
      consecutiveFailures: 2,
      lastWrittenAt: "2026-01-01T12:00:00.000Z",
    });
    health.written(Date.UTC(2026, 0, 1, 12, 1, 30));
    expect(health.status()).toEqual({ state: "ok", lastWrittenAt: "2026-01-01T12:01:30.000Z" });
  });
});

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of running.splice(0).reverse()) await close();
});

describe("checkpoints failing in a running aggregator", () => {
  it("make /healthz degraded with the reason and count in /metrics; the previous checkpoint stays; a later write makes it ok", async () => {
    const dir = mkdtempSync(join(tmpdir(), "checkpoint-health-"));
    const captured = captureLog();
    const aggregator: Aggregator = await startAggregator({
      config: {
        ingest: testLineSocket(),
        triggerMs: 10_000,
        windows: [{ kind: "complete" }],
        topN: 5,
        checkpoint: { dir, intervalMs: 100 },
      },
      log: captured.log,
      autoTick: false,
    });
    const app = await buildApp({ feed: aggregator, log: silentLogger, staticDir: dir, metrics: aggregator.metrics });
    running.push(() => aggregator.close(), () => app.close());
    const healthz = async () => (await app.inject({ method: "GET", url: "/healthz" })).json<Record<string, unknown>>();
    const failures = async () =>
      (await app.inject({ method: "GET", url: "/metrics" })).body.split("\n").find((line) => line.startsWith("tagstream_checkpoint_failures_total "));

    aggregator.posts.post(["rust"], {});
    aggregator.tick();
    await expect.poll(healthz).toMatchObject({ status: "ok", checkpoint: { state: "ok", lastWrittenAt: expect.any(String) } });
    expect(await failures()).toBe("tagstream_checkpoint_failures_total 0");

    // The temporary file's path taken by a directory: every write now fails at open (EISDIR). A
    // write in flight holds the path as a file until it renames it (EEXIST): then try again.
    const temporary = join(dir, `${CHECKPOINT_FILE}.${process.pid}.tmp`);
    for (;;) {
      try {
        mkdirSync(temporary);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    // Read only now: no later write can replace it, so it is the one that must stay.
    const before = await readCheckpoint(dir);
    expect(before).toMatchObject({ kind: "restored", state: { engine: { lines: 1 } } });
    aggregator.posts.post(["go"], {});
    aggregator.tick();
    await expect.poll(healthz).toMatchObject({ status: "degraded", checkpoint: { state: "failing" } });
    const { checkpoint } = (await healthz()) as { checkpoint: Record<string, unknown> };
    expect(checkpoint).toEqual({
      state: "failing",
      reason: `checkpoint ${join(dir, CHECKPOINT_FILE)} not written: EISDIR: illegal operation on a directory, open '${temporary}'`,
      failingSince: expect.any(String),
      consecutiveFailures: expect.any(Number),
      lastWrittenAt: expect.any(String),
    });
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect(Number((await failures())?.split(" ")[1])).toBeGreaterThanOrEqual(1);
    expect(captured.withMessage("checkpoint failed; the previous one stays; trying again at the next interval")[0]).toMatchObject({
      level: 50,
      dir,
      // pino's serialiser adds the cause's message.
      err: { type: "CheckpointWriteError", message: expect.stringContaining(String(checkpoint.reason)) },
    });
    // The last good checkpoint is still there, untouched.
    expect(await readCheckpoint(dir)).toEqual(before);

    rmdirSync(temporary);
    await expect.poll(healthz).toMatchObject({ status: "ok", checkpoint: { state: "ok" } });
    expect(await readCheckpoint(dir)).toMatchObject({ kind: "restored", state: { engine: { lines: 2 } } });
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });

  it("leave /healthz without a checkpoint part when the aggregator keeps none", async () => {
    const aggregator = await startAggregator({
      config: { ingest: testLineSocket(), triggerMs: 10_000, windows: [{ kind: "complete" }], topN: 5 },
      log: silentLogger,
      autoTick: false,
    });
    const app = await buildApp({ feed: aggregator, log: silentLogger, staticDir: tmpdir() });
    running.push(() => aggregator.close(), () => app.close());
    const body = (await app.inject({ method: "GET", url: "/healthz" })).json<Record<string, unknown>>();
    expect(body.status).toBe("ok");
    expect(body).not.toHaveProperty("checkpoint");
  });
});
