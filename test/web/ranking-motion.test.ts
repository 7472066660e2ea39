import { describe, expect, it } from "vitest";
import { RankMotion } from "../../web/src/lib/rank-motion.ts";
import { visibleRanking } from "../../web/src/lib/visible-ranking.ts";

const plain = (map: Map<string, unknown>) => Object.fromEntries(map);

describe("rank motion", () => {
  it("shows nothing on the first ranking, then places moved and new entries", () => {
    const motion = new RankMotion(5000);
    expect(plain(motion.next("15m", ["a", "b", "c"], 0))).toEqual({
      a: { kind: "same" },
      b: { kind: "same" },
      c: { kind: "same" },
    });
    expect(plain(motion.next("15m", ["c", "a", "d"], 1000))).toEqual({
      c: { kind: "up", places: 2 },
      a: { kind: "down", places: 1 },
      d: { kind: "new" },
    });
  });

  it("holds a movement for holdMs, replaces it with a newer one, and forgets tags that left", () => {
    const motion = new RankMotion(5000);
    motion.next("15m", ["a", "b"], 0);
    motion.next("15m", ["b", "a"], 1000);
    expect(plain(motion.next("15m", ["b", "a"], 5999))).toEqual({ b: { kind: "up", places: 1 }, a: { kind: "down", places: 1 } });
    expect(plain(motion.next("15m", ["b", "a"], 6000))).toEqual({ b: { kind: "same" }, a: { kind: "same" } });
    motion.next("15m", ["b", "x"], 7000);
    expect(plain(motion.next("15m", ["a", "b", "x"], 8000))).toEqual({
      a: { kind: "new" },
      b: { kind: "down", places: 1 },
      x: { kind: "down", places: 1 },
    });
  });

  it("starts afresh on another key and after an empty ranking", () => {
    const motion = new RankMotion(5000);
    motion.next("15m", ["a", "b"], 0);
    expect(plain(motion.next("complete", ["b", "c"], 1000))).toEqual({ b: { kind: "same" }, c: { kind: "same" } });
    motion.next("complete", [], 2000);
    expect(plain(motion.next("complete", ["z"], 3000))).toEqual({ z: { kind: "same" } });
  });
});

describe("visible ranking", () => {
  const entries = ["a", "b", "c", "d", "e"].map((tag, index) => ({ tag, count: 10 - index, rank: index + 1 }));

  it("hides tags, ranks again from 1 and cuts to n", () => {
    expect(visibleRanking(entries, new Set(["b"]), 3)).toEqual([
      { tag: "a", count: 10, rank: 1 },
      { tag: "c", count: 8, rank: 2 },
      { tag: "d", count: 7, rank: 3 },
    ]);
    expect(visibleRanking(entries, new Set(), 2)).toEqual(entries.slice(0, 2));
  });
});
