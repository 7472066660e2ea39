/**
 * The aggregator process's core wiring: line intake -> counting engine -> a snapshot every trigger.
 * Time comes from the injected clock, so tests can drive ticks by hand (`tick`) while the trigger
 * loop drives them in production.
 */
import { formatDuration } from "../../shared/duration.ts";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import { HISTORY_TICKS, triggerBoundsProblem, type TagCountsResponse, type TopResponse } from "../../shared/messages.ts";
import type { Config } from "../config/config.ts";
import { DEFAULT_POST_MEMORY } from "../config/ingest-settings.ts";
import type { PublishedSnapshot, SnapshotFeed } from "../http/snapshot-feed.ts";
import type { Logger } from "../log/logger.ts";
import { CountingEngine, type EngineCounters } from "./counting-engine.ts";
import { IngestReports } from "./ingest-reports.ts";
import { IntakeStats } from "./intake-stats.ts";
import { startLineIntake, type LineIntake } from "./line-intake.ts";
import { PostLedger } from "./post-ledger.ts";
import { buildHello, buildSnapshot, type SnapshotSettings } from "./snapshot-builder.ts";
import { TagHistory } from "./tag-history.ts";
import { windowsShorterThan } from "./trigger-interval.ts";
import { startTriggerLoop, type TriggerLoop } from "./trigger-loop.ts";

export interface Aggregator extends SnapshotFeed {
  readonly intake: LineIntake["address"];
  readonly stats: IntakeStats;
  /** What edits and deletions did. */
  readonly posts: PostLedger;
  /** Lines and tags taken in so far, before the next tick folds them in (for load tests). */
  ingested(): EngineCounters;
  /** Runs one trigger now: what the trigger loop calls. */
  tick(): PublishedSnapshot;
  close(): Promise<void>;
}

export interface AggregatorOptions {
  readonly config: Pick<Config, "ingest" | "triggerMs" | "windows" | "topN"> & Partial<Pick<Config, "postMemory" | "capacity" | "title">>;
  readonly log: Logger;
  readonly clock?: () => number;
  /** Start the trigger loop (default true); tests that tick by hand turn it off. */
  readonly autoTick?: boolean;
}

export async function startAggregator({ config, log, clock = Date.now, autoTick = true }: AggregatorOptions): Promise<Aggregator> {
  const startedAt = clock();
  const engine = new CountingEngine({
    windows: config.windows,
    topN: config.topN,
    now: startedAt,
    ...(config.capacity !== undefined && { capacity: config.capacity }),
  });
  const stats = new IntakeStats();
  const posts = new PostLedger(engine, config.postMemory ?? DEFAULT_POST_MEMORY, clock);
  const reports = new IngestReports();
  const history = new TagHistory(engine.windowNames, HISTORY_TICKS);
  let settings: SnapshotSettings = {
    triggerMs: config.triggerMs,
    topN: config.topN,
    windows: engine.windowNames,
    title: config.title,
    startedAt,
  };
  const listeners = new Set<(frame: string) => void>();
  const broadcast = (frame: string): void => {
    for (const listener of listeners) listener(frame);
  };

  const publish = (): PublishedSnapshot => {
    const snapshot = buildSnapshot(engine.latest, stats, settings, history, reports.total());
    return { snapshot, json: JSON.stringify(snapshot) };
  };
  let latest = publish();

  const tick = (): PublishedSnapshot => {
    const result = engine.tick(clock());
    history.record(result.windows, (tag) => engine.countsOf(tag));
    latest = publish();
    broadcast(latest.json);
    log.debug({ epoch: latest.snapshot.epoch, stats: latest.snapshot.stats, posts: posts.stats }, "tick");
    return latest;
  };

  const intake = await startLineIntake(config.ingest, engine, posts, stats, reports, log);
  const loop: TriggerLoop | undefined = autoTick ? startTriggerLoop(config.triggerMs, tick, clock) : undefined;

  return {
    intake: intake.address,
    stats,
    posts,
    windows: engine.windowNames,
    tick,
    ingested: () => engine.ingested,
    hello: () => buildHello(stats, settings),
    latest: () => latest,
    subscribe(listener: (frame: string) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    top(window: string, n: number): TopResponse | undefined {
      const top = engine.top(window, n);
      return top && { window, epoch: latest.snapshot.epoch, at: latest.snapshot.at, top };
    },
    countsOf(tag: string): TagCountsResponse {
      const name = normaliseHashtag(tag);
      const errors = engine.errorsOf(name);
      const estimated = Object.values(errors).some((e) => e > 0);
      return { tag: name, windows: engine.countsOf(name), ...(estimated && { errors }) };
    },
    setTriggerInterval(ms: number): string | undefined {
      const bounds = triggerBoundsProblem(ms);
      if (bounds !== undefined) return bounds;
      const [shortest] = windowsShorterThan(ms, config.windows);
      if (shortest !== undefined) return `must not be longer than the shortest sliding window (${formatDuration(shortest)})`;
      const from = settings.triggerMs;
      settings = { ...settings, triggerMs: ms };
      loop?.setInterval(ms);
      broadcast(JSON.stringify(buildHello(stats, settings)));
      log.info({ fromMs: from, toMs: ms }, "trigger interval changed");
      return undefined;
    },
    async close() {
      loop?.stop();
      listeners.clear();
      await intake.close();
    },
  };
}
