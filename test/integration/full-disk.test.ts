/**
 * A full disk, with a real process and a real file system: `serve` with its STATE_DIR on a 1 MiB
 * tmpfs takes more tags than a checkpoint of them can fit. Its writes fail (a short write, then
 * ENOSPC) instead of replacing the good checkpoint with a torn one: /healthz says "degraded",
 * /metrics counts the failures, no temporary file is left, and a restart restores the counts of the
 * last checkpoint that was written whole.
 *
 * Mounting needs root (CAP_SYS_ADMIN); where it is refused this test fails, saying so.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINT_FILE } from "../../server/aggregator/checkpoint/checkpoint-file.ts";
import { encodePlainLine } from "../../shared/line-protocol.ts";
import { ranked, readSavedState, sendAll, startServe, waitFor } from "./serve-process.ts";

let mountPoint: string | undefined;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "full-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    rmdirSync(dir);
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`cannot mount a 1 MiB tmpfs for the full-disk test (needs root): ${stderr ?? (error as Error).message}`);
  }
  mountPoint = dir;
});

afterAll(() => {
  if (mountPoint === undefined) return;
  // serve-process.ts kills what a failed test left running; a lazy unmount also copes with a process still exiting.
  execFileSync("umount", ["--lazy", mountPoint], { stdio: "pipe" });
  rmdirSync(mountPoint);
});

const metric = async (httpUrl: string, name: string): Promise<number> => {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1]);
};

const health = async (httpUrl: string): Promise<{ status: string; checkpoint?: { state: string; reason?: string } }> =>
  (await fetch(`${httpUrl}/healthz`)).json() as Promise<{ status: string; checkpoint?: { state: string; reason?: string } }>;

describe("checkpoints on a full disk", () => {
  it("keep the last whole checkpoint, report degraded health and count failures; a restart restores its counts", async () => {
    const dir = mountPoint as string;
    const env = { STATE_DIR: dir, CHECKPOINT_INTERVAL: "500ms", TRIGGER_INTERVAL: "200ms" };
    const first = await startServe(env);

    // A small state, whose checkpoint fits.
    await sendAll(first.ingestPort, encodePlainLine(["alpha", "beta"]).repeat(50) + encodePlainLine(["gamma"]).repeat(3));
    await waitFor(async () => (await readSavedState(dir))?.engine.lines === 53, 30_000, () => `no checkpoint of the first lines:\n${first.output()}`);
    expect(await health(first.httpUrl)).toMatchObject({ status: "ok", checkpoint: { state: "ok" } });

    // 30,000 distinct tags: a checkpoint of them is larger than the whole file system.
    const lines: string[] = [];
    for (let line = 0; line < 3000; line++) {
      lines.push(encodePlainLine(Array.from({ length: 10 }, (_, i) => `overflowingtag${line * 10 + i}`)));
    }
    await sendAll(first.ingestPort, lines.join(""));
    await waitFor(async () => (await health(first.httpUrl)).status === "degraded", 30_000, () => `never degraded:\n${first.output()}`);
    const degraded = await health(first.httpUrl);
    expect(degraded.checkpoint).toMatchObject({ state: "failing", reason: expect.stringContaining("ENOSPC") });
    expect(await metric(first.httpUrl, "tagstream_checkpoint_failures_total")).toBeGreaterThanOrEqual(1);
    expect(first.output()).toContain('"msg":"checkpoint failed; the previous one stays; trying again at the next interval"');
    // The last checkpoint that fitted is still there and whole (it may hold part of the tags, up to
    // when it was taken); no temporary file holds the space.
    const kept = (await readSavedState(dir))?.engine.lines ?? 0;
    expect(kept).toBeGreaterThanOrEqual(53);
    expect(kept).toBeLessThan(53 + lines.length);
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);

    // The final checkpoint cannot be written either: the stop says so with exit code 1.
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(1);
    expect(first.output()).toContain('"msg":"unclean shutdown"');
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    expect((await readSavedState(dir))?.engine.lines).toBe(kept);

    // Lines are counted in the order sent, so the line count says exactly which tags it holds.
    const counts: Record<string, number> = { alpha: 50, beta: 50, gamma: 3 };
    for (let tag = 0; tag < (kept - 53) * 10; tag++) counts[`overflowingtag${tag}`] = 1;
    const expected = ranked(counts).slice(0, 1000);
    const second = await startServe(env);
    expect(await second.top("complete")).toEqual(expected);
    expect(await second.top("15m")).toEqual(expected);
    expect(await metric(second.httpUrl, "tagstream_lines_total")).toBe(kept);
    expect(second.output()).toContain('"msg":"restored the checkpoint"');
    expect(await health(second.httpUrl)).toMatchObject({ status: "ok" });
    // Its final checkpoint fits beside the kept one only if the kept one holds less than half the
    // file system (the new file is written whole before it replaces the old): how much the kept one
    // holds depends on when the first process took it. Either way the kept state stays exactly.
    second.child.kill("SIGTERM");
    const code = await second.exited;
    expect(code === 0 || code === 1).toBe(true);
    if (code === 1) expect(second.output()).toContain('"msg":"unclean shutdown"');
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    expect((await readSavedState(dir))?.engine.lines).toBe(kept);
  }, 120_000);
});
