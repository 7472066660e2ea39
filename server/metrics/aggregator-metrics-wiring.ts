/**
 * An aggregator's metrics, built from what it already exposes. Until the aggregator creates its own
 * (and times its ticks and checkpoints), `serve` and the tests build them here; the intake's part
 * (`intakeSources`) is the same either way.
 */
import type { Aggregator } from "../aggregator/aggregator.ts";
import type { IntakeStats } from "../aggregator/intake-stats.ts";
import { AggregatorMetrics, type MetricsSources } from "./aggregator-metrics.ts";

/** What the line intake counts: refusals, closed connections, dropped tags, connected ingestors. */
export function intakeSources(stats: IntakeStats): Pick<MetricsSources, "rejected" | "closedConnections" | "droppedTags" | "ingestors"> {
  return {
    rejected: () => stats.rejected,
    closedConnections: () => stats.closedConnections,
    droppedTags: () =>
      new Map([
        ["invalid", stats.invalidTags],
        ["too-long", stats.longTags],
      ]),
    ingestors: () => stats.connections,
  };
}

/** Metrics for `aggregator`: its counters as of the last tick, and the event-time lag of its posts. */
export function metricsFor(aggregator: Aggregator): AggregatorMetrics {
  const metrics = new AggregatorMetrics({
    ...intakeSources(aggregator.stats),
    counters: () => aggregator.latest().snapshot.stats,
    epoch: () => aggregator.latest().snapshot.epoch,
  });
  aggregator.stats.observeEventLag((seconds) => metrics.observeEventLag(seconds));
  return metrics;
}
