/**
 * The subject of the checkpoint scenario: the real aggregator as `serve` runs it (config module
 * defaults, checkpoints to a STATE_DIR), with probes for what a checkpoint costs the process: a
 * timer that fires every millisecond records how late each firing is (the event loop was blocked
 * that long) and the memory in use, and the aggregator's own "checkpoint written" records say
 * when each write ran. `root` picks the checkout the aggregator is imported from, so that the same
 * probes measure an older version side by side.
 */
import { Writable } from "node:stream";
import { join } from "node:path";
import pino from "pino";
import { childOptions, onParent, tell } from "../support/child.ts";

interface Options {
  /** Checkout to import the aggregator from (its root directory). */
  readonly root: string;
  readonly env: Record<string, string>;
}

export interface WriteRecord {
  /** Wall-clock ms when the write began and ended. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly bytes: number;
  readonly captureMs: number;
  readonly writeMs: number;
}

/** One probe sample: when it fired, how late, and the memory then. */
interface Sample {
  readonly at: number;
  readonly lateMs: number;
  readonly rss: number;
  readonly heap: number;
}

const options = childOptions<Options>();
const { loadConfig } = (await import(join(options.root, "server/config/config.ts"))) as typeof import("../../server/config/config.ts");
const { startAggregator } = (await import(join(options.root, "server/aggregator/aggregator.ts"))) as typeof import("../../server/aggregator/aggregator.ts");

const writes: WriteRecord[] = [];
const records = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.includes('"checkpoint written"')) continue;
      const record = JSON.parse(line) as { time: number; bytes: number; captureMs: number; writeMs: number };
      const endedAt = record.time;
      writes.push({ startedAt: endedAt - record.captureMs - record.writeMs, endedAt, bytes: record.bytes, captureMs: record.captureMs, writeMs: record.writeMs });
      tell({ type: "written", count: writes.length });
    }
    done();
  },
});
const log = pino({ level: "debug" }, records);
const config = loadConfig({ env: { INGEST_PORT: "0", HTTP_PORT: "0", ...options.env } });

const openStarted = performance.now();
const aggregator = await startAggregator({ config, log });
const restoreMs = performance.now() - openStarted;

const samples: Sample[] = [];
const PERIOD_MS = 1;
let expected = performance.now() + PERIOD_MS;
const probe = (): void => {
  const now = performance.now();
  const memory = process.memoryUsage();
  samples.push({ at: Date.now(), lateMs: Math.max(0, now - expected), rss: memory.rss, heap: memory.heapUsed + memory.arrayBuffers });
  if (samples.length > 2_000_000) samples.splice(0, 1_000_000);
  expected = now + PERIOD_MS;
  setTimeout(probe, PERIOD_MS);
};
probe();

onParent("report", () => {
  const figures = writes.map((write) => {
    // The block that delayed a firing inside the write (or one right after it, which the write held up).
    const during = samples.filter((s) => s.at >= write.startedAt && s.at <= write.endedAt + 50);
    const before = samples.filter((s) => s.at >= write.startedAt - 1000 && s.at < write.startedAt);
    const base = (key: "rss" | "heap"): number => Math.max(...before.map((s) => s[key]));
    const peak = (key: "rss" | "heap"): number => Math.max(...during.map((s) => s[key]));
    return {
      ...write,
      blockMs: Math.max(0, ...during.map((s) => s.lateMs)),
      rssExtra: peak("rss") - base("rss"),
      heapExtra: peak("heap") - base("heap"),
      heapBefore: base("heap"),
    };
  });
  tell({ type: "report", restoreMs, figures, ingested: aggregator.ingested(), held: aggregator.posts.stats.held });
});
onParent("ingested", () => tell({ type: "ingested", tags: aggregator.ingested().tags, writes: writes.length }));
onParent("stop", async () => {
  await aggregator.close();
  process.exit(0);
});
tell({ type: "ready", ingestPort: aggregator.intake.port });
