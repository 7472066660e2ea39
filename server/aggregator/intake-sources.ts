/** The line intake's part of the metrics: refusals, closed connections, dropped tags, connected ingestors. */
import type { IntakeStats } from "./state/intake-stats.ts";
import type { MetricsSources } from "../metrics/aggregator-metrics.ts";

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
