/**
 * What a checkpoint costs the aggregator that takes it: with 1 M distinct tags and 100 k remembered
 * posts, run as `serve` runs it (default windows, trigger and capacity; checkpoints every 5 s
 * rather than 30 s, every second at --quick sizes, so that a run takes seconds), the longest the event loop is held during a write
 * (target 10 ms: every screen's tick is late by that much), the memory the write adds on top of the
 * state (target a quarter of it), the write's duration and size, and the time a restart takes to
 * restore the file (target 1 s). A trickle of posts goes on during the writes.
 *
 * `--baseline-checkout DIR` runs the same subject against the aggregator of another checkout (an
 * export of the main branch, say) in the same run, as the baseline.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startChild, type Message } from "../support/child.ts";
import { bySize, percentile, type Figure, type Scenario } from "../support/figure.ts";

interface WriteFigures {
  readonly blockMs: number;
  readonly blockCpuMs: number;
  readonly blockNotGcMs: number;
  readonly blockNotGcOrTickMs: number;
  readonly gcMs: number;
  readonly gcKind: string;
  readonly ticks: number;
  readonly quietBlockMs: number;
  readonly captureMs: number;
  readonly writeMs: number;
  readonly bytes: number;
  readonly rssExtra: number;
  readonly heapExtra: number;
  readonly heapBefore: number;
}

interface Report extends Message {
  readonly restoreMs: number;
  readonly figures: readonly WriteFigures[];
  readonly held: number;
  readonly ingested: { readonly tags: number };
}

interface Measured {
  readonly blockMs: number;
  readonly writeMs: number;
  readonly megabytes: number;
  readonly rssExtraMb: number;
  readonly heapExtraMb: number;
  /** Of the state, as its checkpoint's size measures it. */
  readonly rssExtraShare: number;
  readonly heapExtraShare: number;
  /** Of the heap and array buffers in use before the write. */
  readonly heapExtraOfUse: number;
  readonly restoreMs: number;
  readonly held: number;
  readonly notes: string[];
}

const OWN_CHECKOUT = fileURLToPath(new URL("../../", import.meta.url));
const MB = 2 ** 20;

interface Size {
  readonly distinct: number;
  readonly posts: number;
  readonly checkpoints: number;
  readonly interval: string;
}

async function measure(root: string, size: Size, progress: (m: string) => void): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "tagstream-bench-checkpoint-"));
  const env = { STATE_DIR: dir, CHECKPOINT_INTERVAL: size.interval, POST_MEMORY_ENTRIES: String(size.posts) };
  const flags = ["--max-old-space-size=8192"];
  try {
    const subject = startChild("checkpoint-subject.ts", { root, env }, flags);
    const flood = startChild("post-flood.ts", { distinct: size.distinct, posts: size.posts, trickle: 1000 });
    let report: Report;
    try {
      const [{ ingestPort }] = await Promise.all([subject.next("ready"), flood.next("ready")]);
      const sent = await flood.ask<Message & { tags: number }>({ type: "go", port: ingestPort }, "sent");
      let state = await subject.ask<Message & { tags: number; writes: number; epoch: number }>({ type: "ingested" }, "ingested");
      while (state.tags < sent.tags) {
        await sleep(200);
        state = await subject.ask({ type: "ingested" }, "ingested");
      }
      // The tick that closes the interval of the bulk load is no checkpoint's cost: wait until it is past.
      const loaded = state.epoch;
      while (state.epoch < loaded + 2) {
        await sleep(200);
        state = await subject.ask({ type: "ingested" }, "ingested");
      }
      // The write in flight may have started before: measure the ones after it.
      const first = state.writes + 1;
      progress(`state built (${sent.tags.toLocaleString("en-US")} tags); measuring ${size.checkpoints} checkpoints`);
      while (state.writes < first + size.checkpoints) {
        await sleep(500);
        state = await subject.ask({ type: "ingested" }, "ingested");
      }
      report = await subject.ask<Report>({ type: "report" }, "report");
    } finally {
      await flood.stop();
      await subject.stop(30_000);
    }
    const writes = report.figures.slice(-size.checkpoints);
    const restarted = startChild("checkpoint-subject.ts", { root, env }, flags);
    let restored: Report;
    try {
      await restarted.next("ready");
      restored = await restarted.ask<Report>({ type: "report" }, "report");
    } finally {
      await restarted.stop(30_000);
    }
    const worst = writes.reduce((a, b) => (b.heapExtra > a.heapExtra ? b : a));
    const worstRss = writes.reduce((a, b) => (b.rssExtra > a.rssExtra ? b : a));
    return {
      blockMs: Math.max(...writes.map((w) => w.blockMs)),
      writeMs: percentile(writes.map((w) => w.captureMs + w.writeMs), 50),
      megabytes: Math.max(...writes.map((w) => w.bytes)) / MB,
      rssExtraMb: Math.max(...writes.map((w) => w.rssExtra)) / MB,
      heapExtraMb: worst.heapExtra / MB,
      rssExtraShare: worstRss.rssExtra / worstRss.bytes,
      heapExtraShare: worst.heapExtra / worst.bytes,
      heapExtraOfUse: worst.heapExtra / worst.heapBefore,
      restoreMs: restored.restoreMs,
      held: restored.held,
      notes: [
        `blocks per write ${writes.map((w) => w.blockMs.toFixed(1)).join(", ")} ms (CPU the process used meanwhile ${writes.map((w) => w.blockCpuMs.toFixed(1)).join(", ")}; without GC pauses ${writes.map((w) => w.blockNotGcMs.toFixed(1)).join(", ")}; without GC or ticks ${writes.map((w) => w.blockNotGcOrTickMs.toFixed(1)).join(", ")}; longest GC pause ${writes.map((w) => `${w.gcMs.toFixed(1)} (${w.gcKind})`).join(", ")}; ticks ${writes.map((w) => w.ticks).join(", ")}; in as long a window without a checkpoint ${writes.map((w) => w.quietBlockMs.toFixed(1)).join(", ")}); write ${writes.map((w) => (w.captureMs + w.writeMs).toFixed(0)).join(", ")} ms (capture ${writes.map((w) => w.captureMs.toFixed(1)).join(", ")} ms)`,
        `restored ${restored.held.toLocaleString("en-US")} posts, ${restored.ingested.tags.toLocaleString("en-US")} tags counted since the first start`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const checkpointCost: Scenario = {
  name: "checkpoint",
  title: "Checkpoint cost: 1 M distinct tags and 100 k posts, written while counting",
  async run({ size: benchSize, progress, baselineCheckout }): Promise<Figure[]> {
    const size: Size = bySize(benchSize, {
      smoke: { distinct: 10_000, posts: 1_000, checkpoints: 1, interval: "1s" },
      quick: { distinct: 100_000, posts: 10_000, checkpoints: 2, interval: "1s" },
      full: { distinct: 1_000_000, posts: 100_000, checkpoints: 4, interval: "5s" },
    });
    progress(`tagstream (${OWN_CHECKOUT})`);
    const own = await measure(OWN_CHECKOUT, size, progress);
    let base: Measured | undefined;
    if (baselineCheckout !== undefined) {
      progress(`baseline (${baselineCheckout})`);
      base = await measure(baselineCheckout, size, progress);
    }
    const baseline = (pick: (m: Measured) => number): Figure["baselines"] => (base === undefined ? [] : [{ name: "baseline checkout", value: pick(base) }]);
    const load = `load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")} at the end`;
    const figure = (metric: string, unit: string, pick: (m: Measured) => number, target?: number, notes?: string[]): Figure => ({
      scenario: "checkpoint",
      metric,
      unit,
      value: pick(own),
      higherIsBetter: false,
      baselines: baseline(pick),
      ...(target !== undefined && { target }),
      ...(notes !== undefined && { notes }),
    });
    const distinct = `${size.distinct / 1000} k tags, ${size.posts / 1000} k posts`;
    return [
      figure(`longest event-loop block during a checkpoint, ${distinct}`, "ms", (m) => m.blockMs, 10, [...own.notes, ...(base?.notes.map((n) => `baseline: ${n}`) ?? []), load]),
      figure("resident memory added during a write, share of the state (its checkpoint size)", "%", (m) => m.rssExtraShare * 100, 25, [
        `added at most ${own.rssExtraMb.toFixed(1)} MB RSS; heap + array buffers ${own.heapExtraMb.toFixed(1)} MB (${(own.heapExtraShare * 100).toFixed(0)} % of the state, ${(own.heapExtraOfUse * 100).toFixed(0)} % of those in use before; garbage not yet collected included)` +
          (base ? `; baseline ${base.rssExtraMb.toFixed(1)} MB RSS, heap + buffers ${base.heapExtraMb.toFixed(1)} MB (${(base.heapExtraShare * 100).toFixed(0)} %)` : ""),
      ]),
      figure("checkpoint write, start to durable (median)", "ms", (m) => m.writeMs),
      figure("checkpoint file size", "MB", (m) => m.megabytes),
      figure("restore at start (read, verify, rebuild)", "ms", (m) => m.restoreMs, 1000),
    ];
  },
};
