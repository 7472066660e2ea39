/**
 * The Redis peer: the same corpus counted in one sorted set with ZINCRBY, pipelined in batches, as
 * a Redis-backed leaderboard would be. Reports "skipped" when no server answers at 127.0.0.1:6379.
 */
import { Redis } from "ioredis";
import { childOptions, monotonicMs, onParent, tell } from "../support/child.ts";
import { loadCorpus, type CorpusSpec } from "../support/zipf-corpus.ts";

interface Options {
  readonly corpus: CorpusSpec;
  /** Tags fed at most: Redis is ~30× slower, so it gets a prefix of the corpus. */
  readonly maxTags: number;
}

const BATCH = 10_000;
const options = childOptions<Options>();
const corpus = loadCorpus(options.corpus);

onParent("go", async () => {
  const redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    tell({ type: "skipped", reason: `no Redis at 127.0.0.1:6379 (${(error as Error).message})` });
    redis.disconnect();
    return;
  }
  const key = `tagstream:bench:${process.pid}:${Date.now()}`;
  const tags: string[] = [];
  for (const line of corpus.bytes.toString("latin1").split("\n")) {
    for (const tag of line.split(" ")) if (tag !== "") tags.push(tag);
    if (tags.length >= options.maxTags) break;
  }
  tags.length = Math.min(tags.length, options.maxTags);
  const startedAt = monotonicMs();
  for (let at = 0; at < tags.length; at += BATCH) {
    const pipeline = redis.pipeline();
    for (const tag of tags.slice(at, at + BATCH)) pipeline.zincrby(key, 1, tag);
    await pipeline.exec();
  }
  const countedMs = monotonicMs() - startedAt;
  const topStartedAt = monotonicMs();
  await redis.zrevrange(key, 0, 19, "WITHSCORES");
  const topMs = monotonicMs() - topStartedAt;
  const members = await redis.zcard(key);
  await redis.del(key);
  redis.disconnect();
  tell({ type: "done", tags: tags.length, ms: countedMs, topMs, members });
});
onParent("stop", () => process.exit(0));
tell({ type: "ready" });
