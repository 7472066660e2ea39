/**
 * What distinct accounts, the trend's baseline and event time cost in memory: `hours` of JSON
 * posts at `postsPerSecond` (1-3 Zipf tags over 200,000 names, Zipf authors over 100,000 accounts,
 * dated within their interval) through the counting engine on a virtual clock, triggers every
 * 10 s, windows 15m,complete, either as the product runs it (accounts, a 1 h trend window against a
 * 24 h baseline, event time) or as the plain post count. Reports the heap after a full GC.
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
(globalThis as { gc?: () => void }).gc?.();
const memory = process.memoryUsage();
tell({ type: "done", heapBytes: memory.heapUsed + memory.arrayBuffers, rssBytes: memory.rss, seconds: (performance.now() - started) / 1000, posts: ticks * perTick });
process.exit(0);
