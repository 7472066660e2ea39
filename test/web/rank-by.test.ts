import { describe, expect, it } from "vitest";
import { barValue, rankingOf, shownRows, trendReason, trendSpan, TREND_WALL_ROWS } from "../../web/src/lib/rank-by.ts";

describe("what a screen ranks by", () => {
  const entry = { tag: "eclipse", count: 40, rank: 1, accounts: 14, score: 72, observed: 14, expected: 2 };

  it("takes the window's ranking for each choice, and each bar's figure", () => {
    const window = { window: "1h", top: [entry], byAccounts: [{ ...entry, rank: 2 }], byTrend: [] };
    expect(rankingOf(window, "posts")).toEqual([entry]);
    expect(rankingOf(window, "accounts")).toEqual([{ ...entry, rank: 2 }]);
    expect(rankingOf(window, "trend")).toEqual([]);
    expect(rankingOf({ window: "1h", top: [entry] }, "accounts")).toEqual([]);
    expect([barValue(entry, "posts"), barValue(entry, "accounts"), barValue(entry, "trend")]).toEqual([40, 14, 72]);
  });

  it("says why a tag trends in plain words", () => {
    expect(trendReason(entry, "1h")).toBe("14 accounts in the last hour, usually 2");
    expect(trendReason({ observed: 1, expected: 1.4 }, "10m")).toBe("1 account in the last 10 minutes, usually 1");
    expect(trendSpan("1d")).toBe("the last day");
  });

  it("shows at most ten rows on the wall's trend ranking, where each has a second line", () => {
    expect(TREND_WALL_ROWS).toBe(10);
    expect([shownRows(20, "trend", true), shownRows(6, "trend", true), shownRows(20, "posts", true), shownRows(20, "trend", false)]).toEqual([10, 6, 20, 20]);
  });
});
