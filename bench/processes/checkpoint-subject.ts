/**
 * The subject of the checkpoint scenario: the real aggregator as `serve` runs it (config module
 * defaults, checkpoints to a STATE_DIR), with probes for what a checkpoint costs the process: a
 * timer that fires every millisecond records how late each firing is (the event loop was blocked
 * that long) and the memory in use, and the aggregator's own "checkpoint written" records say
 * when each write ran. Garbage-collection pauses and ticks are recorded too, so that a block can be
 * told apart from one the checkpoint did not cause. `root` picks the checkout the aggregator is imported from, so that the same
 * probes measure an older version side by side.
 */
import { PerformanceObserver } from "node:perf_hooks";
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

/** One probe sample: when it fired (wall clock, ms), how late, and the memory then. */
interface Sample {
  readonly at: number;
  readonly lateMs: number;
  readonly rss: number;
  readonly heap: number;
  /** CPU time the process used since the previous firing (ms): about `lateMs` when the loop was busy, far less when the process was not running. */
  readonly cpuMs: number;
}

const options = childOptions<Options>();
const { loadConfig } = (await import(join(options.root, "server/config/config.ts"))) as typeof import("../../server/config/config.ts");
const { startAggregator } = (await import(join(options.root, "server/aggregator/aggregator.ts"))) as typeof import("../../server/aggregator/aggregator.ts");

const writes: WriteRecord[] = [];
/** Wall-clock [start, end] of each GC pause, and the end of each tick. */
const pauses: Array<[number, number, string]> = [];
const GC_KINDS: Record<number, string> = { 1: "scavenge", 2: "mark-compact", 4: "incremental marking", 8: "weak callbacks" };
const ticks: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "gc";
    pauses.push([performance.timeOrigin + entry.startTime, performance.timeOrigin + entry.startTime + entry.duration, kind]);
  }
}).observe({ entryTypes: ["gc"] });
const records = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.includes('"msg":"tick"')) ticks.push((JSON.parse(line) as { time: number }).time);
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
let cpu = process.cpuUsage();
const probe = (): void => {
  const now = performance.now();
  const memory = process.memoryUsage();
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  const cpuMs = (used.user + used.system) / 1000;
  samples.push({ at: performance.timeOrigin + now, lateMs: Math.max(0, now - expected), rss: memory.rss, heap: memory.heapUsed + memory.arrayBuffers, cpuMs });
  if (samples.length > 2_000_000) samples.splice(0, 1_000_000);
  expected = now + PERIOD_MS;
  setTimeout(probe, PERIOD_MS);
};
probe();

function longestPause(during: ReadonlyArray<[number, number, string]>): { gcMs: number; gcKind: string } {
  const longest = during.reduce<[number, number, string] | undefined>((a, b) => (a === undefined || b[1] - b[0] > a[1] - a[0] ? b : a), undefined);
  return longest === undefined ? { gcMs: 0, gcKind: "none" } : { gcMs: longest[1] - longest[0], gcKind: longest[2] };
}

onParent("report", () => {
  const figures = writes.map((write) => {
    // The block that delayed a firing inside the write (or one right after it, which the write held up).
    const during = samples.filter((s) => s.at >= write.startedAt && s.at <= write.endedAt + 50);
    const before = samples.filter((s) => s.at >= write.startedAt - 1000 && s.at < write.startedAt);
    const base = (key: "rss" | "heap"): number => Math.max(...before.map((s) => s[key]));
    const peak = (key: "rss" | "heap"): number => Math.max(...during.map((s) => s[key]));
    // A late firing was blocked over [at - lateMs, at]: by a GC pause or a tick if one overlaps it.
    const overlaps = (s: Sample, from: number, to: number): boolean => from <= s.at && to >= s.at - s.lateMs - PERIOD_MS;
    const byGc = (s: Sample): boolean => pauses.some(([from, to]) => overlaps(s, from, to));
    const byTick = (s: Sample): boolean => ticks.some((end) => overlaps(s, end, end));
    const longest = during.reduce<Sample | undefined>((a, b) => (a === undefined || b.lateMs > a.lateMs ? b : a), undefined);
    return {
      ...write,
      blockMs: Math.max(0, ...during.map((s) => s.lateMs)),
      blockCpuMs: longest?.cpuMs ?? 0,
      blockNotGcMs: Math.max(0, ...during.filter((s) => !byGc(s)).map((s) => s.lateMs)),
      blockNotGcOrTickMs: Math.max(0, ...during.filter((s) => !byGc(s) && !byTick(s)).map((s) => s.lateMs)),
      ...longestPause(pauses.filter(([from, to]) => to >= write.startedAt && from <= write.endedAt + 50)),
      ticks: ticks.filter((end) => end >= write.startedAt && end <= write.endedAt + 50).length,
      // The machine's own noise: the longest block in a window as long, ending 2 s before the write.
      quietBlockMs: Math.max(0, ...samples.filter((s) => s.at >= 2 * write.startedAt - write.endedAt - 2050 && s.at < write.startedAt - 2000).map((s) => s.lateMs)),
      rssExtra: peak("rss") - base("rss"),
      heapExtra: peak("heap") - base("heap"),
      heapBefore: base("heap"),
    };
  });
  tell({ type: "report", restoreMs, figures, ingested: aggregator.ingested(), held: aggregator.posts.stats.held });
});
onParent("ingested", () => tell({ type: "ingested", tags: aggregator.ingested().tags, writes: writes.length, epoch: aggregator.latest().snapshot.epoch }));
onParent("stop", async () => {
  await aggregator.close();
  process.exit(0);
});
tell({ type: "ready", ingestPort: aggregator.intake.port });
