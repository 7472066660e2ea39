/**
 * What a screen ranks by, and what each ranking shows: posts (the textbook's count), distinct
 * accounts, or the trend score. The server sends all three rankings in every snapshot.
 */
import { describeDuration, parseDuration } from "../../../shared/duration.ts";
import type { RankBy, TopEntry, WindowTop } from "../../../shared/messages.ts";

export const RANK_BY: readonly RankBy[] = ["posts", "accounts", "trend"];

export const RANK_BY_LABELS: Readonly<Record<RankBy, string>> = {
  posts: "Most used",
  accounts: "Most accounts",
  trend: "Trending now",
};

/** The ranking of one window of a snapshot by `by` (empty when the server sends none). */
export function rankingOf(window: WindowTop | undefined, by: RankBy): readonly TopEntry[] {
  if (window === undefined) return [];
  if (by === "accounts") return window.byAccounts ?? [];
  if (by === "trend") return window.byTrend ?? [];
  return window.top;
}

/** The figure a bar shows for an entry: its posts, its accounts, or its score. */
export function barValue(entry: TopEntry, by: RankBy): number {
  if (by === "accounts") return entry.accounts ?? 0;
  if (by === "trend") return entry.score ?? 0;
  return entry.count;
}

/** "the last hour", "the last 10 minutes": a trend window in words. */
export function trendSpan(window: string): string {
  const ms = parseDuration(window);
  if (ms === undefined) return `the last ${window}`;
  const words = describeDuration(ms);
  return `the last ${words.startsWith("1 ") ? words.slice(2) : words}`;
}

/**
 * Rows of the wall's "Trending now" at most: each has its reason on a line of its own, which must
 * stay as legible as the tag labels (1/45 of the screen's height, 24 px at 1080p); ten two-line rows
 * fill a 1080p board with both lines at that size or more, twenty would halve them.
 */
export const TREND_WALL_ROWS = 10;

/** Rows a screen shows: on the wall's trend ranking, at most `TREND_WALL_ROWS`. */
export function shownRows(rows: number, by: RankBy, wall: boolean): number {
  return wall && by === "trend" ? Math.min(rows, TREND_WALL_ROWS) : rows;
}

/** Why a tag trends, in plain words: "14 accounts in the last hour, usually 2". */
export function trendReason(entry: Pick<TopEntry, "observed" | "expected">, window: string): string {
  const observed = entry.observed ?? 0;
  const usual = Math.round(entry.expected ?? 1);
  return `${observed} ${observed === 1 ? "account" : "accounts"} in ${trendSpan(window)}, usually ${usual}`;
}
