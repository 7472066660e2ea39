/**
 * Event time with a watermark, on a scripted timeline: triggers every 10 s, windows of 30 s and
 * 60 s and complete, 45 s of allowed lateness. A late post counts in the interval of its own time
 * and leaves each window when that interval does; one older than a window's start is not counted
 * there; one older than the watermark counts in complete only; one from the future is clamped to
 * its arrival. Deletions take a late post back from where it was counted.
 */
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { PostLedger } from "../../../server/aggregator/state/post-ledger.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
const WINDOWS: WindowSpec[] = [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "sliding", lengthMs: 60 * SECOND }, { kind: "complete" }];

function setup(eventTime = true) {
  let now = T0;
  const engine = new CountingEngine({
    windows: WINDOWS,
    topN: 20,
    now,
    accounts: { capacity: 1000 },
    ...(eventTime && { eventTime: { allowedLatenessMs: 45 * SECOND } }),
  });
  const ledger = new PostLedger(engine, { maxEntries: 1000, maxAgeMs: 1e12 }, () => now);
  const at = (ms: number): void => {
    now = T0 + ms;
  };
  const tickAt = (ms: number): void => {
    at(ms);
    engine.tick(now);
  };
  const post = (tag: string, tsMs: number, id?: string, acct = "a@x"): void => ledger.post([tag], { ts: T0 + tsMs, acct, ...(id !== undefined && { id }) });
  return { engine, ledger, at, tickAt, post };
}

describe("event time with a watermark", () => {
  it("counts a late post in its own interval, expires it on its own time, and keeps it out of windows it is older than", () => {
    const { engine, at, tickAt, post } = setup();
    at(5 * SECOND);
    post("early", 5 * SECOND);
    tickAt(10 * SECOND); // epoch 1: (0, 10 s]
    tickAt(20 * SECOND); // epoch 2: (10, 20 s]
    tickAt(30 * SECOND); // epoch 3: (20, 30 s]
    tickAt(40 * SECOND); // epoch 4: (30, 40 s]
    at(44 * SECOND);
    post("now", 44 * SECOND);
    at(45 * SECOND);
    post("late", 15 * SECOND); // epoch 2, which the 30 s window has let go at 50 s: 60 s and complete only
    post("late", 25 * SECOND); // epoch 3: still in the 30 s window at 50 s
    tickAt(50 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 1, "1m": 2, complete: 2 });
    expect(engine.accountsOf("late")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    expect(engine.latest.counters).toMatchObject({ late: 0, beforeWindow: 1, future: 0, watermark: T0 - 1 * SECOND });
    // Epoch 3 closed at 30 s leaves the 30 s window at 60 s: by arrival (50 s) it would stay until 80 s.
    tickAt(60 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 0, "1m": 2, complete: 2 });
    expect(engine.accountsOf("late")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
    tickAt(80 * SECOND); // epoch 2 (closed at 20 s) has left the minute
    expect(engine.countsOf("late")).toEqual({ "30s": 0, "1m": 1, complete: 2 });
    tickAt(90 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 0, "1m": 0, complete: 2 });
    expect(engine.accountsOf("late")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
  });

  it("counts a post older than the watermark in complete only, and clamps a future one to its arrival", () => {
    const { engine, at, tickAt, post } = setup();
    for (let t = 10; t <= 100; t += 10) tickAt(t * SECOND);
    post("fresh", 100 * SECOND); // the watermark is now 55 s
    post("toolate", 50 * SECOND);
    post("skewed", 10 * 60 * SECOND); // ten minutes ahead of its arrival at 100 s
    tickAt(110 * SECOND);
    expect(engine.countsOf("toolate")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.accountsOf("toolate")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.countsOf("skewed")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    expect(engine.latest.counters).toMatchObject({ late: 1, future: 1, beforeWindow: 0, watermark: T0 + 55 * SECOND });
    // Clamped to 100 s, not ten minutes ahead: the watermark did not jump. 60 s is in the interval
    // closed at 60 s, which both sliding windows have let go by 120 s.
    at(115 * SECOND);
    post("again", 60 * SECOND);
    tickAt(120 * SECOND);
    expect(engine.countsOf("again")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.latest.counters).toMatchObject({ late: 1, beforeWindow: 1 });
  });

  it("counts a post dated before the engine started in complete only, before the first tick and after it", () => {
    const { engine, at, tickAt, post } = setup();
    at(2 * SECOND);
    post("before", -10 * SECOND); // older than any interval: the first is (0, 10 s]
    post("atstart", 0); // the first interval begins after 0
    post("inside", 1 * SECOND);
    tickAt(10 * SECOND);
    expect(engine.countsOf("before")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.accountsOf("before")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.countsOf("atstart")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.countsOf("inside")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    expect(engine.latest.counters).toMatchObject({ late: 0, beforeWindow: 2, future: 0, watermark: T0 + 1 * SECOND - 45 * SECOND });
    at(12 * SECOND);
    post("before", -5 * SECOND);
    post("inside", 5 * SECOND); // epoch 1, closed at 10 s
    tickAt(20 * SECOND);
    expect(engine.countsOf("before")).toEqual({ "30s": 0, "1m": 0, complete: 2 });
    expect(engine.countsOf("inside")).toEqual({ "30s": 2, "1m": 2, complete: 2 });
    expect(engine.latest.counters).toMatchObject({ late: 0, beforeWindow: 3 });
    // Both posts of "inside" leave the 30 s window with epoch 1 (closed at 10 s) at 40 s.
    tickAt(40 * SECOND);
    expect(engine.countsOf("inside")).toEqual({ "30s": 0, "1m": 2, complete: 2 });
  });

  it("counts a post dated before the engine started and older than the watermark as late", () => {
    const { engine, at, tickAt, post } = setup();
    at(2 * SECOND);
    post("now", 2 * SECOND); // the watermark is now -43 s
    post("ancient", -50 * SECOND);
    post("before", -40 * SECOND);
    tickAt(10 * SECOND);
    expect(engine.countsOf("ancient")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.countsOf("before")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(engine.latest.counters).toMatchObject({ late: 1, beforeWindow: 1, future: 0 });
  });

  it("counts a late post in its own interval right after a restore, as the original engine would", () => {
    const original = setup();
    for (const t of [10, 20, 30, 40]) original.tickAt(t * SECOND);
    const restored = CountingEngine.restore(original.engine.exportState(), {
      windows: WINDOWS,
      topN: 20,
      accounts: { capacity: 1000 },
      eventTime: { allowedLatenessMs: 45 * SECOND },
    });
    for (const engine of [original.engine, restored]) {
      engine.ingestPost(["now"], { ts: T0 + 44 * SECOND, acct: "a@x", arrival: T0 + 44 * SECOND });
      engine.ingestPost(["late"], { ts: T0 + 5 * SECOND, acct: "a@x", arrival: T0 + 44 * SECOND }); // epoch 1
      engine.ingestPost(["before"], { ts: T0 - 1 * SECOND, acct: "a@x", arrival: T0 + 44 * SECOND });
      engine.tick(T0 + 50 * SECOND);
    }
    expect(restored.countsOf("late")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
    expect(restored.countsOf("before")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(restored.latest.counters).toEqual(original.engine.latest.counters);
    expect(restored.countsOf("late")).toEqual(original.engine.countsOf("late"));
  });

  it("restores a state saved without where its intervals begin: the oldest held interval's close is the earliest time counted", () => {
    const { engine, tickAt } = setup();
    for (const t of [10, 20, 30, 40]) tickAt(t * SECOND);
    const state = engine.exportState();
    const eventTime = state.eventTime;
    if (eventTime === undefined) throw new Error("no event-time state");
    const { heldFrom, ...withoutStart } = eventTime;
    expect(heldFrom).toBe(T0);
    const restored = CountingEngine.restore({ ...state, eventTime: withoutStart }, {
      windows: WINDOWS,
      topN: 20,
      accounts: { capacity: 1000 },
      eventTime: { allowedLatenessMs: 45 * SECOND },
    });
    restored.ingestPost(["now"], { ts: T0 + 44 * SECOND, acct: "a@x", arrival: T0 + 44 * SECOND });
    restored.ingestPost(["first"], { ts: T0 + 5 * SECOND, acct: "a@x", arrival: T0 + 44 * SECOND }); // in (0, 10 s]: its start is not known
    restored.ingestPost(["second"], { ts: T0 + 15 * SECOND, acct: "a@x", arrival: T0 + 44 * SECOND });
    restored.tick(T0 + 50 * SECOND);
    expect(restored.countsOf("first")).toEqual({ "30s": 0, "1m": 0, complete: 1 });
    expect(restored.countsOf("second")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
    expect(restored.latest.counters).toMatchObject({ late: 0, beforeWindow: 2 });
  });

  it("takes a late post back from the interval it was counted in when it is deleted", () => {
    const { engine, ledger, at, tickAt, post } = setup();
    for (const t of [10, 20, 30, 40]) tickAt(t * SECOND);
    at(44 * SECOND);
    post("now", 44 * SECOND);
    post("late", 25 * SECOND, "p1", "a@x");
    post("late", 26 * SECOND, "p2", "b@x");
    tickAt(50 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 2, "1m": 2, complete: 2 });
    ledger.delete("p1");
    tickAt(55 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    expect(engine.accountsOf("late")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    // The remaining one still leaves the 30 s window with its interval (closed at 30 s) at 60 s.
    tickAt(60 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
  });

  it("by arrival time (TIME=arrival) counts every post when it arrives, as before", () => {
    const { engine, at, tickAt, post } = setup(false);
    for (const t of [10, 20, 30, 40]) tickAt(t * SECOND);
    at(45 * SECOND);
    post("late", 15 * SECOND);
    post("skewed", 3600 * SECOND);
    tickAt(50 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    expect(engine.latest.counters).toEqual({ lines: 2, tags: 2, distinct: 2, withAccount: 2 });
    tickAt(80 * SECOND);
    expect(engine.countsOf("late")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
  });

  it("keeps late entries across an export and restore", () => {
    const { engine, at, tickAt, post } = setup();
    for (const t of [10, 20, 30, 40]) tickAt(t * SECOND);
    at(44 * SECOND);
    post("now", 44 * SECOND);
    post("late", 25 * SECOND);
    tickAt(50 * SECOND);
    const restored = CountingEngine.restore(engine.exportState(), {
      windows: WINDOWS,
      topN: 20,
      accounts: { capacity: 1000 },
      eventTime: { allowedLatenessMs: 45 * SECOND },
    });
    expect(restored.countsOf("late")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    restored.tick(T0 + 60 * SECOND);
    expect(restored.countsOf("late")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
    expect(restored.latest.counters).toMatchObject({ late: 0, beforeWindow: 0, future: 0 });
  });
});
