import { describe, expect, it } from "vitest";
import { TagHistory, type WindowTops } from "../../../server/aggregator/state/tag-history.ts";

const entry = (tag: string, count: number, rank: number) => ({ tag, count, rank });

/** A scripted engine: each tick's counts of every tag in both windows. */
function tick(history: TagHistory, counts: Record<string, [number, number]>, tops: { "5m": string[]; complete: string[] }): void {
  const windowTops: WindowTops[] = (["5m", "complete"] as const).map((window, w) => ({
    window,
    top: tops[window].map((tag, index) => entry(tag, counts[tag]?.[w] ?? 0, index + 1)),
  }));
  history.record(windowTops, (tag) => ({ "5m": counts[tag]?.[0] ?? 0, complete: counts[tag]?.[1] ?? 0 }));
}

describe("tag history", () => {
  it("keeps each followed tag's counts in every window, oldest first, at most `length` ticks", () => {
    const history = new TagHistory(["5m", "complete"], 3);
    tick(history, { rust: [1, 1] }, { "5m": ["rust"], complete: ["rust"] });
    tick(history, { rust: [3, 4] }, { "5m": ["rust"], complete: ["rust"] });
    tick(history, { rust: [2, 5] }, { "5m": ["rust"], complete: ["rust"] });
    tick(history, { rust: [0, 5] }, { "5m": [], complete: ["rust"] });
    expect(history.of("rust", "5m")).toEqual([3, 2, 0]);
    expect(history.of("rust", "complete")).toEqual([4, 5, 5]);
  });

  it("gives a tag entering one window's top the past it had while in another's", () => {
    const history = new TagHistory(["5m", "complete"], 5);
    tick(history, { go: [2, 9], zig: [1, 1] }, { "5m": ["go"], complete: ["go", "zig"] });
    tick(history, { go: [2, 9], zig: [3, 3] }, { "5m": ["zig", "go"], complete: ["go", "zig"] });
    expect(history.of("zig", "5m")).toEqual([1, 3]);
  });

  it("forgets a tag that left every top, so memory stays bounded", () => {
    const history = new TagHistory(["5m", "complete"], 5);
    tick(history, { a: [1, 1], b: [1, 1] }, { "5m": ["a", "b"], complete: ["a", "b"] });
    tick(history, { a: [2, 2], b: [1, 1] }, { "5m": ["a"], complete: ["a"] });
    expect(history.size).toBe(1);
    expect(history.of("b", "5m")).toEqual([]);
    tick(history, { a: [2, 2], b: [5, 6] }, { "5m": ["b", "a"], complete: ["b", "a"] });
    expect(history.of("b", "5m")).toEqual([5]);
  });

  it("hands out copies that later ticks do not change", () => {
    const history = new TagHistory(["5m", "complete"], 5);
    tick(history, { a: [1, 1] }, { "5m": ["a"], complete: ["a"] });
    const before = history.of("a", "5m");
    tick(history, { a: [2, 2] }, { "5m": ["a"], complete: ["a"] });
    expect(before).toEqual([1]);
  });
});
