/**
 * `/api/top` answered from a snapshot, when the snapshot holds that top: a snapshot carries each
 * window's top `TOP_N` by posts, and by accounts and by trend on servers that rank those, each
 * entry with its sparkline history (which `/api/top` leaves out). A longer top, or one language's,
 * is not in it and must be asked of a replica.
 */
import type { RankBy, Snapshot, TopEntry, TopResponse, WindowTop } from "../../shared/messages.ts";

function rankingHeld(window: WindowTop, by: RankBy): readonly TopEntry[] | undefined {
  if (by === "accounts") return window.byAccounts;
  if (by === "trend") return window.byTrend;
  return window.top;
}

/** The top `n` of `window` by `by` as the aggregator would answer it, or undefined when `snapshot` does not hold it. */
export function topFromSnapshot(snapshot: Snapshot, topN: number, window: string, n: number, by: RankBy): TopResponse | undefined {
  const held = snapshot.windows.find((w) => w.window === window);
  const ranking = held === undefined ? undefined : rankingHeld(held, by);
  if (ranking === undefined) return undefined;
  // A ranking shorter than TOP_N is every tag there is; a full one may go on past what was sent.
  if (n > ranking.length && ranking.length >= topN) return undefined;
  const top = ranking.slice(0, n).map(({ history: _history, ...entry }) => entry);
  return { window, by, epoch: snapshot.epoch, at: snapshot.at, top };
}
