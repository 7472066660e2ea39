/**
 * Target 1: hashtag occurrences counted per second over real TCP into the windowed engine
 * (windows 15m,complete), one core, Zipf tags (s = 1.1 over 1,000,000 ranks, 1-5 tags a line).
 * The same bytes go to the naive baseline over the same socket path, and a prefix of them to a
 * Redis sorted set with pipelined ZINCRBY.
 *
 * Beside it, the same tags as JSON posts with an author and an event time (post-line-flood.ts)
 * into the product's settings for them: distinct accounts, a 1 h trend window against a 24 h
 * baseline, event time with 5 min of lateness (plain lines carry neither, so they skip that work).
 */
import type { EngineCounters } from "../../server/aggregator/engine/tick-result.ts";
import { startChild, type Child } from "../support/child.ts";
import { bySize, type BenchSize, type Figure, type Scenario, type ScenarioContext } from "../support/figure.ts";
import type { CorpusSpec } from "../support/zipf-corpus.ts";

export const WINDOWS = "15m,complete";

export function ingestCorpus(size: BenchSize): CorpusSpec {
  return {
    distinct: bySize(size, { smoke: 100_000, quick: 1_000_000, full: 1_000_000 }),
    exponent: 1.1,
    tags: bySize(size, { smoke: 100_000, quick: 1_000_000, full: 30_000_000 }),
    seed: 1,
  };
}

/** The subject's settings for post lines: the trend's defaults for a server followed with a token, event time. */
const POST_SETTINGS = { TIME: "event", ALLOWED_LATENESS: "5m", TREND_WINDOW: "1h", TREND_BASELINE: "24h" };
/** Authors the post lines are drawn from. */
const AUTHORS = 100_000;

/** Floods `subject` with the corpus and returns tags per second from first write to last tag counted. */
async function flood(subjectScript: string, subjectOptions: object, corpus: CorpusSpec): Promise<number> {
  return (await floodWith(subjectScript, subjectOptions, () => startChild("line-flood.ts", { corpus }))).perSecond;
}

/**
 * Starts the subject, then the sender `startSender` makes (once the subject is up: a post's time may
 * depend on it), and floods; returns tags per second and the subject's counters at the end.
 */
async function floodWith(subjectScript: string, subjectOptions: object, startSender: () => Child): Promise<{ perSecond: number; counters?: EngineCounters }> {
  const subject = startChild(subjectScript, subjectOptions);
  let sender: Child | undefined;
  try {
    const { ingestPort } = await subject.next("ready");
    sender = startSender();
    const { tags } = await sender.next("ready");
    const counted = subject.ask<{ type: string; at: number }>({ type: "await-tags", tags: Number(tags) }, "counted");
    const sent = await sender.ask<{ type: string; startedAt: number }>({ type: "go", port: ingestPort }, "sent");
    const perSecond = Number(tags) / (((await counted).at - sent.startedAt) / 1000);
    if (subjectScript !== "aggregator-subject.ts") return { perSecond };
    const { counters } = await subject.ask<{ type: string; counters: EngineCounters }>({ type: "counters" }, "counters");
    return { perSecond, counters };
  } finally {
    await Promise.all([sender?.stop(), subject.stop()]);
  }
}

export async function redisZincrby(corpus: CorpusSpec, maxTags: number): Promise<{ perSecond?: number; topMs?: number; note?: string }> {
  const feeder = startChild("redis-feeder.ts", { corpus, maxTags });
  try {
    await feeder.next("ready");
    feeder.send({ type: "go" });
    const result = await Promise.race([feeder.next<{ type: string; tags: number; ms: number; topMs: number }>("done"), feeder.next<{ type: string; reason: string }>("skipped")]);
    if (result.type === "skipped") return { note: `(${String((result as { reason?: string }).reason)})` };
    const done = result as { tags: number; ms: number; topMs: number };
    return { perSecond: done.tags / (done.ms / 1000), topMs: done.topMs, note: `(first ${(done.tags / 1e6).toFixed(1)} M tags)` };
  } finally {
    await feeder.stop();
  }
}

export const ingestThroughput: Scenario = {
  name: "ingest",
  title: "Ingest throughput over TCP",
  async run({ size, progress }: ScenarioContext): Promise<Figure[]> {
    const corpus = ingestCorpus(size);
    progress(`tagstream: ${corpus.tags.toLocaleString()} tags over TCP into ${WINDOWS}`);
    const engine = await flood("aggregator-subject.ts", { env: { WINDOWS, TRIGGER_INTERVAL: "1s" } }, corpus);
    progress(`tagstream: the same tags as JSON posts with acct and ts, accounts + trend (1h against 24h) + event time`);
    const posts = await floodWith("aggregator-subject.ts", { env: { WINDOWS, TRIGGER_INTERVAL: "1s", ...POST_SETTINGS } }, () =>
      startChild("post-line-flood.ts", { corpus, accounts: AUTHORS, datedFrom: Date.now() }),
    );
    progress("naive split + Map over TCP");
    const naive = await flood("naive-subject.ts", {}, corpus);
    progress("Redis ZINCRBY pipeline");
    const redis: Awaited<ReturnType<typeof redisZincrby>> =
      size === "smoke" ? { note: "(not run at --smoke sizes)" } : await redisZincrby(corpus, size === "quick" ? 200_000 : 2_000_000);
    return [
      {
        scenario: "ingest",
        metric: "hashtags counted per second, TCP, 15m+complete",
        unit: "M/s",
        value: engine / 1e6,
        higherIsBetter: true,
        baselines: [
          { name: "naive", value: naive / 1e6 },
          { name: "Redis", value: redis.perSecond === undefined ? undefined : redis.perSecond / 1e6, ...(redis.note && { note: redis.note }) },
        ],
        target: 5,
      },
      {
        scenario: "ingest",
        metric: "hashtags counted per second, TCP, JSON posts with acct+ts, 15m+complete, accounts + trend 1h/24h + event time",
        unit: "M/s",
        value: posts.perSecond / 1e6,
        higherIsBetter: true,
        baselines: [{ name: "plain lines", value: engine / 1e6 }],
        target: 5,
        notes: [postNote(posts.counters)],
      },
    ];
  },
};

/** What event time made of the posts: how many were late, older than a window, or dated ahead. */
function postNote(counters: EngineCounters | undefined): string {
  if (counters === undefined) return "";
  const { lines, withAccount = 0, late = 0, beforeWindow = 0, future = 0 } = counters;
  return `posts: ${lines.toLocaleString("en-US")}, with an author ${withAccount.toLocaleString("en-US")}; late ${late}, older than a window ${beforeWindow}, dated ahead ${future}`;
}
