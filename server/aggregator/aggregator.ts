/**
 * The aggregator process's core wiring: line intake -> counting engine -> a snapshot every trigger.
 * Time comes from the injected clock, so tests can drive ticks by hand (`tick`) while the trigger
 * loop drives them in production. With checkpoints configured it starts from the last one and
 * writes one every interval and on close (checkpointing.ts).
 */
import { formatDuration } from "../../shared/duration.ts";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import { triggerBoundsProblem, type RankBy, type TagCountsResponse, type TopResponse } from "../../shared/messages.ts";
import { CheckpointHealth } from "./checkpoint/checkpoint-health.ts";
import type { Config } from "../config/config.ts";
import { DEFAULT_POST_MEMORY, DEFAULT_POST_MEMORY_BYTES } from "../config/ingest-settings.ts";

function trendFields(trend: TagTrend | undefined): Pick<TagCountsResponse, "trend"> {
  if (trend === undefined) return {};
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { trend: { score: round(trend.score), observed: trend.observed, ...(trend.expected !== undefined && { expected: round(trend.expected) }) } };
}

/** (tag, account) pairs held when the config does not say (ACCOUNT_CAPACITY's default). */
const DEFAULT_ACCOUNT_CAPACITY = 500_000;
import type { ImmediateSnapshotSource, PublishedSnapshot } from "./snapshot-source.ts";
import type { Logger } from "../log/logger.ts";
import { AggregatorMetrics } from "../metrics/aggregator-metrics.ts";
import { intakeSources } from "./intake-sources.ts";
import { buildParts, startCapture, triggerInForce, windowNames, type PartsOptions, type SavedSettings } from "./state/aggregator-state.ts";
import { openState, startCheckpoints } from "./checkpoint/checkpointing.ts";
import type { TagTrend } from "./engine/counting-engine.ts";
import type { EngineCounters } from "./engine/tick-result.ts";
import { IngestReports } from "./state/ingest-reports.ts";
import type { IntakeStats } from "./state/intake-stats.ts";
import { countingHandler, startLineIntake, type LineHandler, type LineIntake } from "./intake/line-intake.ts";
import { applyLineBytes } from "./intake/line-application.ts";
import { LogReplica } from "./log-replica.ts";
import type { PostLedger } from "./state/post-ledger.ts";
import { buildHello, buildSnapshot, type SnapshotSettings } from "./state/snapshot-builder.ts";
import { windowsShorterThan, type WindowSpec } from "../../shared/window-spec.ts";
import { startTriggerLoop, type TriggerLoop } from "./trigger-loop.ts";

export interface Aggregator extends ImmediateSnapshotSource {
  readonly intake: LineIntake["address"];
  /** Cluster mode: the reading of the stream, which the stream intake feeds. */
  readonly replica: LogReplica | undefined;
  readonly stats: IntakeStats;
  /** What edits and deletions did. */
  readonly posts: PostLedger;
  /** This aggregator's Prometheus registry and the events it records. */
  readonly metrics: AggregatorMetrics;
  /** Lines and tags taken in so far, before the next tick folds them in (for load tests). */
  ingested(): EngineCounters;
  /** Runs one trigger now: what the trigger loop calls. */
  tick(): PublishedSnapshot;
  /** Stops the trigger and the intake; with checkpoints, then writes a last one holding every line read. */
  close(): Promise<void>;
}

export interface AggregatorOptions {
  readonly config: Pick<Config, "ingest" | "triggerMs" | "windows" | "topN"> &
    Partial<Pick<Config, "postMemory" | "postMemoryBytes" | "capacity" | "accountCapacity" | "trend" | "eventTime" | "languages" | "title" | "checkpoint">>;
  readonly log: Logger;
  readonly clock?: () => number;
  /** Start the trigger loop (default true); tests that tick by hand turn it off. */
  readonly autoTick?: boolean;
  /** Cluster mode (replica-node.ts): counts follow the stream; see `ReplicaOptions`. */
  readonly replica?: ReplicaOptions;
}

/**
 * A replica counts what the stream holds, at the stream's times, and ticks where the log says
 * (log-replica.ts); it runs no trigger loop. Its TCP intake hands lines to `lines` (which publishes
 * them to the stream), and a trigger change asked of it goes to `requestTrigger` (which publishes it
 * too), so that every replica applies both at the same place in the log.
 */
export interface ReplicaOptions {
  readonly stream: string;
  readonly lines: LineHandler;
  requestTrigger(ms: number): void;
}

export async function startAggregator({ config, log, clock: wallClock = Date.now, autoTick = true, replica: cluster }: AggregatorOptions): Promise<Aggregator> {
  const startedAt = wallClock();
  // A replica's parts see log time only: the time of the message being applied, or of the tick.
  let logNow = startedAt;
  const clock = cluster === undefined ? wallClock : () => logNow;
  const partsOptions: PartsOptions = {
    engine: {
      windows: config.windows,
      topN: config.topN,
      ...(config.capacity !== undefined && { capacity: config.capacity }),
      accounts: { capacity: config.accountCapacity ?? DEFAULT_ACCOUNT_CAPACITY, ...(config.trend !== undefined && { trend: config.trend }) },
      ...(config.eventTime !== undefined && { eventTime: config.eventTime }),
    },
    postMemory: { ...(config.postMemory ?? DEFAULT_POST_MEMORY), maxBytes: config.postMemoryBytes ?? DEFAULT_POST_MEMORY_BYTES },
    clock,
    languages: config.languages,
  };
  const windows = windowNames(config.windows);
  const opened =
    config.checkpoint === undefined
      ? { parts: buildParts(partsOptions, startedAt), saved: undefined }
      : await openState(config.checkpoint.dir, partsOptions, { windows, capacity: config.capacity }, log, cluster?.stream);
  const { saved } = opened;
  let parts = opened.parts;
  const { stats } = parts;
  const reports = new IngestReports();
  const metrics = new AggregatorMetrics(
    { ...intakeSources(stats), counters: () => parts.engine.ingested, epoch: () => parts.engine.latest.epoch },
    wallClock,
  );
  stats.observeEventTime((ts, now) => metrics.observeEventTime(ts, now));
  const trigger =
    saved?.stream !== undefined
      ? { ms: saved.stream.epochs.triggerMs, why: "the stream's, restored from the checkpoint" }
      : triggerInForce(saved?.settings, config.triggerMs);
  log.info({ triggerMs: trigger.ms, configuredTriggerMs: config.triggerMs }, `trigger ${formatDuration(trigger.ms)} (${trigger.why})`);
  let settings: SnapshotSettings = {
    triggerMs: trigger.ms,
    topN: config.topN,
    windows: parts.engine.windowNames,
    title: config.title,
    // A replica's counts begin where the stream's first epoch does, the same for every replica.
    startedAt: saved?.stream?.origin ?? startedAt,
    trend: config.trend,
  };
  const listeners = new Set<(frame: string) => void>();
  const broadcast = (frame: string): void => {
    for (const listener of listeners) listener(frame);
  };

  const publish = (): PublishedSnapshot => {
    const { engine, history, languages } = parts;
    const snapshot = buildSnapshot(engine.latest, stats, settings, history, reports.total(), languages?.languages);
    return { snapshot, json: JSON.stringify(snapshot) };
  };
  let latest = publish();

  const tick = (now: number): PublishedSnapshot => {
    const { engine, history, languages, posts } = parts;
    const started = performance.now();
    const result = engine.tick(now);
    languages?.tick(now, result.epoch);
    const ranked = result.windows.flatMap((w) => [w, { window: w.window, top: w.byAccounts ?? [] }, { window: w.window, top: w.byTrend ?? [] }]);
    history.record(ranked, (tag) => engine.countsOf(tag));
    latest = publish();
    metrics.observeTick((performance.now() - started) / 1000);
    broadcast(latest.json);
    log.debug({ epoch: latest.snapshot.epoch, stats: latest.snapshot.stats, posts: posts.stats }, "tick");
    return latest;
  };

  const checkpointHealth = new CheckpointHealth();
  if (saved !== undefined) {
    metrics.checkpointWritten(saved.savedAt);
    checkpointHealth.written(saved.savedAt);
  }

  /** What is wrong with a trigger interval for these windows ("must be ..."), or undefined. */
  const triggerProblem = (ms: number): string | undefined => {
    const bounds = triggerBoundsProblem(ms);
    if (bounds !== undefined) return bounds;
    const [shortest] = windowsShorterThan(ms, config.windows);
    return shortest === undefined ? undefined : `must not be longer than the shortest sliding window (${formatDuration(shortest)})`;
  };
  const changeTrigger = (ms: number): void => {
    const from = settings.triggerMs;
    settings = { ...settings, triggerMs: ms };
    loop?.setInterval(ms);
    broadcast(JSON.stringify(buildHello(stats, settings)));
    log.info({ fromMs: from, toMs: ms }, "trigger interval changed");
  };

  const replica =
    cluster &&
    new LogReplica(
      { stream: cluster.stream, triggerMs: trigger.ms, longestWindowMs: longestSlidingWindow(config.windows) },
      {
        begin(origin) {
          settings = { ...settings, startedAt: origin };
          logNow = origin;
          // Fresh parts begin at the log's first epoch, as in every other replica; nothing was counted yet.
          if (saved?.stream?.origin === undefined) parts = { ...buildParts(partsOptions, origin), stats };
          latest = publish();
          // The start every replica agrees on, in place of this process's own.
          broadcast(JSON.stringify(buildHello(stats, settings)));
        },
        tick(at) {
          logNow = at;
          tick(at);
        },
        triggerChanged: changeTrigger,
        triggerProblem,
        line(data, now) {
          logNow = now;
          applyLineBytes(data, parts, now);
        },
      },
      saved?.stream,
    );

  const intake = await startLineIntake(config.ingest, cluster?.lines ?? countingHandler(parts, clock), stats, reports, log);
  const loop: TriggerLoop | undefined = autoTick && cluster === undefined ? startTriggerLoop(settings.triggerMs, tick, clock) : undefined;
  const savedSettings = (): SavedSettings => ({
    windows,
    capacity: config.capacity,
    topN: config.topN,
    configuredTriggerMs: config.triggerMs,
    triggerMs: settings.triggerMs,
  });
  const checkpoints =
    config.checkpoint &&
    startCheckpoints(config.checkpoint, (at) => startCapture(parts, savedSettings(), at, replica?.position()), metrics, checkpointHealth, log, wallClock);

  return {
    intake: intake.address,
    replica,
    stats,
    get posts() {
      return parts.posts;
    },
    metrics,
    windows: parts.engine.windowNames,
    tick: () => tick(clock()),
    ingested: () => parts.engine.ingested,
    hello: () => buildHello(stats, settings),
    latest: () => latest,
    checkpoint: () => (checkpoints === undefined ? undefined : checkpointHealth.status()),
    subscribe(listener: (frame: string) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    top(window: string, n: number, by: RankBy = "posts", lang?: string): TopResponse | undefined {
      const { engine, languages } = parts;
      const top = lang === undefined ? engine.top(window, n, by) : languages?.top(lang, window, n, by);
      return top && { window, by, ...(lang !== undefined && { lang }), epoch: latest.snapshot.epoch, at: latest.snapshot.at, top };
    },
    languages: () => parts.languages?.languages ?? [],
    countsOf(tag: string): TagCountsResponse {
      const { engine, languages } = parts;
      const name = normaliseHashtag(tag);
      const errors = engine.errorsOf(name);
      const estimated = Object.values(errors).some((e) => e > 0);
      const accounts = engine.accountsOf(name);
      const accountErrors = engine.accountErrorsOf(name) ?? {};
      const accountsEstimated = Object.values(accountErrors).some((e) => e > 0);
      return {
        tag: name,
        windows: engine.countsOf(name),
        ...(estimated && { errors }),
        ...(accounts !== undefined && { accounts }),
        ...(accountsEstimated && { accountErrors }),
        ...trendFields(engine.trendOf(name)),
        ...(languages !== undefined && { languages: languages.countsOf(name) }),
      };
    },
    setTriggerInterval(ms: number): string | undefined {
      const problem = triggerProblem(ms);
      if (problem !== undefined) return problem;
      // A replica changes nothing itself: the change goes through the stream, to every replica at once.
      if (cluster !== undefined) cluster.requestTrigger(ms);
      else changeTrigger(ms);
      return undefined;
    },
    async close() {
      loop?.stop();
      checkpoints?.stop();
      listeners.clear();
      await intake.close();
      if (checkpoints === undefined) return;
      const written = await checkpoints.writeNow();
      log.info(
        { dir: config.checkpoint?.dir, bytes: written.bytes, epoch: parts.engine.latest.epoch, lines: parts.engine.ingested.lines, ...(replica && { streamSeq: replica.seq }) },
        "final checkpoint written",
      );
    },
  };
}

function longestSlidingWindow(windows: readonly WindowSpec[]): number | undefined {
  const lengths = windows.flatMap((spec) => (spec.kind === "sliding" ? [spec.lengthMs] : []));
  return lengths.length === 0 ? undefined : Math.max(...lengths);
}
