/** Turns an engine tick and the intake's bookkeeping into the wire's `snapshot` and `hello`. */
import { PROTOCOL_VERSION, type Hello, type IngestReport, type Snapshot } from "../../shared/messages.ts";
import type { TickResult } from "./counting-engine.ts";
import type { IntakeStats } from "./intake-stats.ts";

export interface SnapshotSettings {
  readonly triggerMs: number;
  readonly topN: number;
  readonly windows: readonly string[];
}

export function buildSnapshot(tick: TickResult, intake: IntakeStats, settings: SnapshotSettings, ingest?: IngestReport): Snapshot {
  return {
    type: "snapshot",
    v: PROTOCOL_VERSION,
    epoch: tick.epoch,
    at: new Date(tick.at).toISOString(),
    triggerMs: settings.triggerMs,
    source: intake.source,
    instances: intake.instances,
    windows: tick.windows.map((w) => ({ window: w.window, top: [...w.top] })),
    stats: {
      lines: tick.counters.lines,
      tags: tick.counters.tags,
      distinct: tick.counters.distinct,
      rejected: intake.rejectedTotal,
      ingestors: intake.connections,
    },
    ...(ingest !== undefined && { ingest }),
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
  };
}
