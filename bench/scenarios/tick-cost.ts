/**
 * Target 2: the top-20 of every window (15m and complete) with 1,000,000 distinct tags, per trigger.
 * Ticks follow 100 ms of traffic at 1 M lines/s (about 3 M tags/s).
 */
import { startChild } from "../support/child.ts";
import { bySize, percentile, type BenchSize, type Figure, type Scenario } from "../support/figure.ts";
import { ingestCorpus } from "./ingest-throughput.ts";

interface Ticks {
  /** Wall time of each tick. */
  readonly durations: number[];
  /** CPU time of each tick: the same less any wait for a core. */
  readonly cpu: number[];
}

async function probe(subject: "engine" | "naive", size: BenchSize, ticks: number): Promise<Ticks> {
  const corpus = { ...ingestCorpus(size), distinct: bySize(size, { smoke: 10_000, quick: 100_000, full: 1_000_000 }) };
  const lines = bySize(size, {
    smoke: { warmLines: 10_000, linesPerTick: 1_000, warmTicks: 1 },
    quick: { warmLines: 100_000, linesPerTick: 10_000, warmTicks: 5 },
    full: { warmLines: 2_000_000, linesPerTick: 100_000, warmTicks: 5 },
  });
  const child = startChild("tick-probe.ts", { subject, corpus, ticks, triggerMs: 100, ...lines }, ["--max-old-space-size=8192"]);
  try {
    const { durations, cpu } = await child.next<{ type: string; durations: number[]; cpu: number[] }>("done");
    return { durations, cpu };
  } finally {
    await child.stop();
  }
}

export const tickCost: Scenario = {
  name: "tick",
  title: "Tick cost: top-20 of 15m and complete with 1 M distinct tags",
  async run({ size, progress }) {
    progress("tagstream engine ticks");
    const { durations: engine, cpu } = await probe("engine", size, bySize(size, { smoke: 5, quick: 20, full: 60 }));
    progress("naive full sort");
    const naive = (await probe("naive", size, 3)).durations;
    const distinct = bySize(size, { smoke: "10 k", quick: "100 k", full: "1 M" });
    return [
      {
        scenario: "tick",
        metric: `tick p99, ${distinct} distinct, 15m+complete (engine alone)`,
        unit: "ms",
        value: percentile(engine, 99),
        higherIsBetter: false,
        baselines: [{ name: "naive full sort", value: percentile(naive, 50) }],
        target: 5,
        notes: [
          `CountingEngine.tick in a process of its own, without intake, snapshots or checkpoints; engine tick p50 ${percentile(engine, 50).toFixed(2)} ms, max ${Math.max(...engine).toFixed(2)} ms over ${engine.length} ticks, each after 100 ms of traffic at 1 M lines/s, after a few untimed warm-up ticks (the first ticks of a process pay one-off JIT costs)`,
          `CPU time per tick (wall time less waiting for a core): p50 ${percentile(cpu, 50).toFixed(2)} ms, p99 ${percentile(cpu, 99).toFixed(2)} ms, max ${Math.max(...cpu).toFixed(2)} ms`,
        ],
      },
    ];
  },
};
