/**
 * Target 3: from a line written to the socket to the WebSocket frame that counts it, trigger 100 ms,
 * 1 M lines/s offered, through the real aggregator and app. The baseline is the naive server
 * (split + Map, full sort each trigger) under the same load.
 */
import { startChild } from "../support/child.ts";
import { bySize, type BenchSize, type Figure, type Scenario } from "../support/figure.ts";
import { ingestCorpus, WINDOWS } from "./ingest-throughput.ts";

const TRIGGER_MS = 100;

/** The weighted p-th percentile: each latency counts as many times as lines it stands for. */
function weightedPercentile(values: readonly number[], weights: readonly number[], p: number): number {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const total = weights.reduce((sum, w) => sum + w, 0);
  let seen = 0;
  for (const i of order) {
    seen += weights[i] as number;
    if (seen >= (p / 100) * total) return values[i] as number;
  }
  return Number.NaN;
}

interface Measured {
  readonly p50: number;
  readonly p99: number;
  readonly rate: number;
  /** Share of lines no frame had counted 10 s after the last write. */
  readonly uncounted: number;
}

async function measure(script: string, subjectOptions: object, size: BenchSize): Promise<Measured> {
  const linesPerSecond = bySize(size, { smoke: 20_000, quick: 200_000, full: 1_000_000 });
  const subject = startChild(script, subjectOptions);
  const probe = startChild("latency-probe.ts", { corpus: ingestCorpus(size), linesPerSecond, seconds: bySize(size, { smoke: 0.5, quick: 1.5, full: 8 }) });
  try {
    const [{ ingestPort, httpPort }] = await Promise.all([subject.next("ready"), probe.next("ready")]);
    const wsUrl = script === "naive-subject.ts" ? `ws://127.0.0.1:${httpPort}` : `ws://127.0.0.1:${httpPort}/ws`;
    const done = await probe.ask<{ type: string; latencies: number[]; weights: number[]; uncounted: number; lines: number; seconds: number }>({ type: "go", ingestPort, wsUrl }, "done");
    return {
      p50: weightedPercentile(done.latencies, done.weights, 50),
      p99: weightedPercentile(done.latencies, done.weights, 99),
      rate: done.lines / done.seconds,
      uncounted: done.uncounted / done.lines,
    };
  } finally {
    await Promise.all([probe.stop(), subject.stop()]);
  }
}

export const latency: Scenario = {
  name: "latency",
  title: "Latency from socket to WebSocket frame, trigger 100 ms",
  async run({ size, progress }): Promise<Figure[]> {
    progress("tagstream aggregator + app");
    // Checkpoints every 3 s (ten times the default's rate), so that the measured seconds include some.
    const engine = await measure("aggregator-subject.ts", { env: { WINDOWS, TRIGGER_INTERVAL: `${TRIGGER_MS}ms`, CHECKPOINT_INTERVAL: "3s" } }, size);
    progress("naive server");
    const naive = await measure("naive-subject.ts", { triggerMs: TRIGGER_MS }, size);
    return [
      {
        scenario: "latency",
        metric: `p99 line -> frame, trigger ${TRIGGER_MS} ms, ${(engine.rate / 1e6).toFixed(2)} M lines/s`,
        unit: "ms",
        value: engine.p99,
        higherIsBetter: false,
        baselines: [{ name: "naive", value: naive.p99, ...(naive.uncounted > 0 && { note: `(at least: ${(naive.uncounted * 100).toFixed(0)} % of lines never counted)` }) }],
        target: TRIGGER_MS + 10,
        notes: [
          `p50 ${engine.p50.toFixed(1)} ms (a line waits half a trigger on average); naive p50 ${naive.p50.toFixed(0)} ms`,
          "tagstream as serve runs it, with a checkpoint every 3 s during the measured seconds",
        ],
      },
    ];
  },
};
