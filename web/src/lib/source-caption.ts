/**
 * Where the ranking's posts come from, in the words of the wall's header: the instances the
 * connected ingestors follow, "simulated stream" in demo mode, or, when no ingestor is connected,
 * that nothing feeds the screen (the ranking shown is then all there will be until one connects).
 */
import type { Source } from "../../../shared/messages.ts";

export const NO_SOURCE = "no source connected";

export interface SourceFacts {
  readonly source: Source | undefined;
  readonly instances: readonly string[];
  /** The shown snapshot's `stats.ingestors`; undefined before the first snapshot. */
  readonly ingestors: number | undefined;
}

export function sourceCaption({ source, instances, ingestors }: SourceFacts): string {
  if (ingestors === 0) return NO_SOURCE;
  if (source === "demo") return "simulated stream";
  return instances.length > 0 ? instances.join(", ") : "Mastodon";
}
