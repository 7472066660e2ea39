/**
 * Target 5: 10,000,000 distinct tags streamed through the aggregator (windows 15m,complete, the
 * default ENGINE_CAPACITY) keep its peak RSS at or under 300 MB, and the top 20 stays right:
 * precision against the exact counts, and every exact count within the reported error bound.
 * The baseline is the naive Map, which keeps every name.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { startChild, type Message } from "../support/child.ts";
import { bySize, type Figure, type Scenario } from "../support/figure.ts";
import { WINDOWS } from "./ingest-throughput.ts";

interface Sent extends Message {
  readonly tags: number;
  readonly exact: ReadonlyArray<{ tag: string; count: number }>;
}

interface Entry {
  readonly tag: string;
  readonly count: number;
  readonly error?: number;
}

async function stream(script: string, subjectOptions: object, distinct: number): Promise<{ peakMb: number; sent: Sent; top: Entry[] }> {
  const naive = script === "naive-subject.ts";
  const flood = startChild("distinct-flood.ts", { distinct, zipfDraws: distinct * 2 }, ["--max-old-space-size=8192"]);
  const subject = startChild(script, subjectOptions, ["--max-old-space-size=8192"]);
  try {
    const [{ ingestPort }] = await Promise.all([subject.next("ready"), flood.next("ready")]);
    const counted = subject.ask({ type: "await-tags", tags: distinct * 3 }, "counted");
    const sent = await flood.ask<Sent>({ type: "go", port: ingestPort }, "sent");
    await counted;
    await sleep(300);
    const { top } = naive ? { top: [] } : await subject.ask<{ type: string; top: Entry[] }>({ type: "top", window: "complete", n: 20 }, "top");
    const { peak } = await subject.ask<{ type: string; peak: number }>({ type: "rss" }, "rss");
    return { peakMb: peak / 2 ** 20, sent, top };
  } finally {
    await Promise.all([flood.stop(), subject.stop()]);
  }
}

export const boundedMemory: Scenario = {
  name: "memory",
  title: "Bounded memory: 10 M distinct tags streamed through",
  async run({ size, progress }): Promise<Figure[]> {
    const distinct = bySize(size, { smoke: 100_000, quick: 1_000_000, full: 10_000_000 });
    const capacity = bySize(size, { smoke: "10000", quick: "100000", full: undefined });
    // Checkpoints every 5 s rather than 30 s, so that the streamed seconds include several: a
    // checkpoint's copy of the state is part of the peak a user sees.
    const env = { WINDOWS, TRIGGER_INTERVAL: "100ms", CHECKPOINT_INTERVAL: "5s", ...(capacity !== undefined && { ENGINE_CAPACITY: capacity }) };
    progress(`tagstream, ${distinct.toLocaleString("en-US")} distinct + ${(2 * distinct).toLocaleString("en-US")} Zipf draws`);
    const engine = await stream("aggregator-subject.ts", { env }, distinct);
    progress("naive Map");
    const naive = await stream("naive-subject.ts", {}, distinct);
    const exactTags = new Set(engine.sent.exact.map((e) => e.tag));
    const precision = engine.top.filter((e) => exactTags.has(e.tag)).length / 20;
    const exactCount = new Map(engine.sent.exact.map((e) => [e.tag, e.count]));
    const outOfBound = engine.top.filter((e) => {
      const real = exactCount.get(e.tag);
      return real !== undefined && (real > e.count || real < e.count - (e.error ?? 0));
    }).length;
    const maxError = Math.max(0, ...engine.top.map((e) => e.error ?? 0));
    return [
      {
        scenario: "memory",
        metric: `peak RSS, ${(distinct / 1e6).toFixed(0)} M distinct tags streamed`,
        unit: "MB",
        value: engine.peakMb,
        higherIsBetter: false,
        baselines: [{ name: "naive", value: naive.peakMb }],
        target: 300,
        notes: ["tagstream as serve runs it (HTTP app up), with a checkpoint every 5 s while the tags stream in"],
      },
      {
        scenario: "memory",
        metric: "top-20 precision vs exact counts (complete)",
        unit: "%",
        value: precision * 100,
        higherIsBetter: true,
        baselines: [],
        target: 100,
        notes: [`${outOfBound} of 20 exact counts outside their reported bound; largest error bound ${maxError} (top count ${engine.top[0]?.count ?? 0})`],
      },
    ];
  },
};
