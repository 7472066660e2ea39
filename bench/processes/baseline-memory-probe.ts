/**
 * What distinct accounts, the trend's baseline and event time cost in memory: `hours` of JSON
 * posts at `postsPerSecond` (1-3 Zipf tags over 200,000 names, Zipf authors over 100,000 accounts,
 * dated within their interval) through the counting engine on a virtual clock, triggers every
 * 10 s, windows 15m,complete, either as the product runs it (accounts, a 1 h trend window against a
 * 24 h baseline, event time) or as the plain post count. Reports the heap after a full GC, less
 * the heap after a full GC before the first post (the names the generator draws from, the code).
 */
import { CountingEngine } from "../../server/aggregator/engine/counting-engine.ts";
import { childOptions, tell } from "../support/child.ts";
import { createSeededRandom } from "../../server/demo/seeded-random.ts";
import { createZipfSampler } from "../../server/demo/zipf-sampler.ts";
import { tagName } from "../support/zipf-corpus.ts";

interface Options {
  readonly hours: number;
  readonly postsPerSecond: number;
  readonly accounts: boolean;
}

const { hours, postsPerSecond, accounts } = childOptions<Options>();
const TRIGGER_MS = 10_000;
const T0 = Date.UTC(2026, 0, 1);
const engine = new CountingEngine({
  windows: [{ kind: "sliding", lengthMs: 15 * 60_000 }, { kind: "complete" }],
  topN: 20,
  now: T0,
  capacity: 1_000_000,
  ...(accounts && {
    accounts: { capacity: 500_000, trend: { windowMs: 3_600_000, baselineMs: 86_400_000, threshold: 5, halfLifeMs: 4 * 3_600_000 } },
    eventTime: { allowedLatenessMs: 300_000 },
  }),
});
const uniform = createSeededRandom(7).next;
const tagZipf = createZipfSampler(200_000, 1.1);
const accountZipf = createZipfSampler(100_000, 0.9);
const tagRank = (): number => tagZipf.rankFor(uniform());
const accountRank = (): number => accountZipf.rankFor(uniform());
const tagNames = Array.from({ length: 200_000 }, (_, i) => tagName(i));
const accountNames = Array.from({ length: 100_000 }, (_, i) => `user${i}@server${i % 500}.example`);

/**
 * Heap and array buffers in use after a full collection. `live` is read after it, so what it holds
 * was reachable during it: V8 frees what no later code reads, and would measure without the engine.
 */
function heldBytes(live: readonly object[]): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return live.every((held) => held !== undefined) ? heapUsed + arrayBuffers : Number.NaN;
}
const live = [engine, tagNames, accountNames];
const before = heldBytes(live);
const started = performance.now();
const perTick = (postsPerSecond * TRIGGER_MS) / 1000;
const ticks = (hours * 3_600_000) / TRIGGER_MS;
for (let k = 1; k <= ticks; k++) {
  const closesAt = T0 + k * TRIGGER_MS;
  for (let i = 0; i < perTick; i++) {
    const count = 1 + Math.floor(uniform() * 3);
    const tags = Array.from({ length: count }, () => tagNames[tagRank()] as string);
    if (accounts) engine.ingestPost(tags, { acct: accountNames[accountRank()], ts: closesAt - TRIGGER_MS + (i * TRIGGER_MS) / perTick, arrival: closesAt });
    else engine.ingest(tags);
  }
  engine.tick(closesAt);
}
const seconds = (performance.now() - started) / 1000;
const after = heldBytes(live);
// What the baseline holds: (tag, accounts) entries in its slots.
const slots = engine.exportState().trend?.slots ?? [];
const baselineEntries = slots.reduce((sum, [, tags]) => sum + tags.length, 0);
tell({ type: "done", heapBytes: after - before, rssBytes: process.memoryUsage().rss, seconds, posts: engine.ingested.lines, baselineSlots: slots.length, baselineEntries });
process.exit(0);
