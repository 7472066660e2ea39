/** Turns an engine tick and the intake's bookkeeping into the wire's `snapshot` and `hello`. */
import { PROTOCOL_VERSION, type Hello, type IngestReport, type Snapshot } from "../../../shared/messages.ts";
import { formatDuration } from "../../../shared/duration.ts";
import type { TickResult } from "../engine/tick-result.ts";
import type { IntakeStats } from "./intake-stats.ts";
import type { TagHistory } from "./tag-history.ts";

export interface SnapshotSettings {
  readonly triggerMs: number;
  readonly topN: number;
  readonly windows: readonly string[];
  readonly title: string | undefined;
  /** When the aggregator started, in ms since the epoch. */
  readonly startedAt: number;
  /** The trend's settings, when trends are scored. */
  readonly trend?: { readonly windowMs: number; readonly baselineMs: number; readonly threshold: number; readonly halfLifeMs: number } | undefined;
}

export function buildSnapshot(
  tick: TickResult,
  intake: IntakeStats,
  settings: SnapshotSettings,
  history: TagHistory,
  ingest?: IngestReport,
  languages?: readonly string[],
): Snapshot {
  return {
    type: "snapshot",
    v: PROTOCOL_VERSION,
    epoch: tick.epoch,
    at: new Date(tick.at).toISOString(),
    triggerMs: settings.triggerMs,
    source: intake.source,
    instances: intake.instances,
    windows: tick.windows.map((w) => ({
      window: w.window,
      top: w.top.map((entry) => ({ ...entry, history: history.of(entry.tag, w.window) })),
      ...(w.byAccounts !== undefined && { byAccounts: w.byAccounts.map((entry) => ({ ...entry, history: history.of(entry.tag, w.window) })) }),
      ...(w.byTrend !== undefined && { byTrend: w.byTrend.map((entry) => ({ ...entry, history: history.of(entry.tag, w.window) })) }),
    })),
    stats: {
      lines: tick.counters.lines,
      tags: tick.counters.tags,
      distinct: tick.counters.distinct,
      ...(tick.counters.distinctEstimated === true && { distinctEstimated: true as const }),
      rejected: intake.rejectedTotal,
      ingestors: intake.connections,
      ...(tick.counters.withAccount !== undefined && { noAccount: tick.counters.lines - tick.counters.withAccount }),
      ...(tick.counters.late !== undefined && { late: tick.counters.late }),
      ...(tick.counters.beforeWindow !== undefined && { beforeWindow: tick.counters.beforeWindow }),
      ...(tick.counters.future !== undefined && { future: tick.counters.future }),
    },
    ...(ingest !== undefined && { ingest }),
    ...(languages !== undefined && { languages: [...languages] }),
    startedAt: new Date(settings.startedAt).toISOString(),
  };
}

export function buildHello(intake: IntakeStats, settings: SnapshotSettings): Hello {
  return {
    type: "hello",
    v: PROTOCOL_VERSION,
    triggerMs: settings.triggerMs,
    topN: settings.topN,
    windows: [...settings.windows],
    source: intake.source,
    instances: intake.instances,
    startedAt: new Date(settings.startedAt).toISOString(),
    ...(settings.title !== undefined && { title: settings.title }),
    ...(settings.trend !== undefined && {
      trend: {
        window: formatDuration(settings.trend.windowMs),
        baseline: formatDuration(settings.trend.baselineMs),
        threshold: settings.trend.threshold,
        halfLife: formatDuration(settings.trend.halfLifeMs),
      },
    }),
  };
}
