/**
 * A `SnapshotSource` whose snapshots the test writes itself, served through the real HTTP app: for
 * browser tests that need many snapshots fast, or frames the aggregator would never make (a tag
 * with markup in it). Each frame is validated against the wire schema before it is sent.
 */
import { parseServerMessage, PROTOCOL_VERSION, type Hello, type Snapshot, type TopEntry } from "../../shared/messages.ts";
import type { PublishedSnapshot, SnapshotSource } from "../../server/aggregator/snapshot-source.ts";

export interface ScriptedFeed extends SnapshotSource {
  /** Sends a snapshot with this epoch and ranking to every client and makes it the latest. */
  push(epoch: number, top: readonly TopEntry[], stats?: Partial<Snapshot["stats"]>): void;
}

const STARTED_AT = "2026-11-21T08:00:00.000Z";

export function scriptedFeed(settings: { triggerMs: number; topN: number; source?: "live" | "demo" }): ScriptedFeed {
  const listeners = new Set<(frame: string) => void>();
  const windows = ["15m"];
  const hello = (): Hello => ({
    type: "hello",
    v: PROTOCOL_VERSION,
    triggerMs: settings.triggerMs,
    topN: settings.topN,
    windows,
    source: settings.source ?? "live",
    instances: ["mastodon.example"],
    startedAt: STARTED_AT,
  });
  const publish = (snapshot: Snapshot): PublishedSnapshot => {
    const json = JSON.stringify(snapshot);
    const checked = parseServerMessage(json);
    if (!checked.ok) throw new Error(`scripted snapshot is invalid: ${checked.error}`);
    return { snapshot, json };
  };
  const snapshotOf = (epoch: number, top: readonly TopEntry[], stats: Partial<Snapshot["stats"]> = {}): Snapshot => ({
    type: "snapshot",
    v: PROTOCOL_VERSION,
    epoch,
    at: new Date(Date.parse(STARTED_AT) + epoch * settings.triggerMs).toISOString(),
    triggerMs: settings.triggerMs,
    source: settings.source ?? "live",
    instances: ["mastodon.example"],
    windows: [{ window: "15m", top: [...top] }],
    stats: { lines: epoch * 10, tags: epoch * 20, distinct: 100, rejected: 0, ingestors: 1, ...stats },
    startedAt: STARTED_AT,
  });
  let latest = publish(snapshotOf(0, []));

  return {
    windows,
    hello,
    latest: () => latest,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    top: () => undefined,
    countsOf: (tag) => ({ tag, windows: {} }),
    setTriggerInterval: () => "is fixed in a scripted feed",
    push(epoch, top, stats) {
      latest = publish(snapshotOf(epoch, top, stats));
      for (const listener of listeners) listener(latest.json);
    },
  };
}
