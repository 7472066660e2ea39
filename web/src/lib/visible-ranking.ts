/**
 * The ranking one screen shows: the server's top without the tags this screen hides, cut to `n`,
 * ranked again from 1 so a hidden tag leaves no gap.
 */
import type { TopEntry } from "../../../shared/messages.ts";

export function visibleRanking(entries: readonly TopEntry[], hide: ReadonlySet<string>, n: number): TopEntry[] {
  const shown: TopEntry[] = [];
  for (const entry of entries) {
    if (shown.length >= n) break;
    if (hide.has(entry.tag)) continue;
    shown.push(entry.rank === shown.length + 1 ? entry : { ...entry, rank: shown.length + 1 });
  }
  return shown;
}
