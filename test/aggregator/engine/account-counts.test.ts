/**
 * Distinct accounts per tag: scripted timelines with exact expectations, and a differential test
 * that drives the engine and the post ledger with random posts, edits, deletes and ticks and
 * compares every tag's account count in every window with a brute-force model.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { PostLedger } from "../../../server/aggregator/state/post-ledger.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
const WINDOWS: WindowSpec[] = [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "sliding", lengthMs: 60 * SECOND }, { kind: "complete" }];

function setup(capacity = 1000, windows = WINDOWS) {
  let now = T0;
  const engine = new CountingEngine({ windows, topN: 20, now, accounts: { capacity } });
  const ledger = new PostLedger(engine, { maxEntries: 100_000, maxAgeMs: 1e12 }, () => now);
  const tick = (ms = 10 * SECOND): void => {
    now += ms;
    engine.tick(now);
  };
  return { engine, ledger, tick };
}

describe("distinct accounts per tag", () => {
  it("counts each account once per tag, however often it posts, and not plain or authorless posts", () => {
    const { engine, ledger, tick } = setup();
    for (let i = 0; i < 500; i++) ledger.post(["spam"], { acct: "bot@x" });
    ledger.post(["rust", "spam"], { acct: "a@x" });
    ledger.post(["rust"], { acct: "b@y" });
    ledger.post(["rust", "rust"], { acct: "b@y" });
    ledger.post(["rust"], {});
    engine.ingest(["rust"]);
    expect(engine.accountsOf("rust")).toEqual({ "30s": 0, "1m": 0, complete: 0 });
    tick();
    expect(engine.accountsOf("rust")).toEqual({ "30s": 2, "1m": 2, complete: 2 });
    expect(engine.accountsOf("spam")).toEqual({ "30s": 2, "1m": 2, complete: 2 });
    expect(engine.countsOf("spam")).toEqual({ "30s": 501, "1m": 501, complete: 501 });
    expect(engine.latest.counters).toEqual({ lines: 505, tags: 507, distinct: 2, withAccount: 503 });
    expect(engine.top("30s", 5, "posts")).toEqual([
      { tag: "spam", count: 501, rank: 1, accounts: 2 },
      { tag: "rust", count: 6, rank: 2, accounts: 2 },
    ]);
    expect(engine.top("30s", 5, "accounts")).toEqual([
      { tag: "rust", count: 6, rank: 1, accounts: 2 },
      { tag: "spam", count: 501, rank: 2, accounts: 2 },
    ]);
    expect(engine.latest.windows[0]?.byAccounts?.map((e) => e.tag)).toEqual(["rust", "spam"]);
  });

  it("lets an account go from a sliding window only when its newest post there has left", () => {
    const { engine, ledger, tick } = setup();
    ledger.post(["go"], { acct: "a@x" });
    ledger.post(["go"], { acct: "b@x" });
    tick(); // epoch 1 at +10 s
    ledger.post(["go"], { acct: "a@x" });
    tick(); // epoch 2 at +20 s
    tick(); // +30 s
    expect(engine.accountsOf("go")).toEqual({ "30s": 2, "1m": 2, complete: 2 });
    tick(); // +40 s: epoch 1 (closed at +10 s) leaves the 30 s window; a@x is still there from epoch 2
    expect(engine.accountsOf("go")).toEqual({ "30s": 1, "1m": 2, complete: 2 });
    tick(); // +50 s: epoch 2 leaves too
    expect(engine.accountsOf("go")).toEqual({ "30s": 0, "1m": 2, complete: 2 });
    tick(3 * 10 * SECOND); // +80 s: both left the minute
    expect(engine.accountsOf("go")).toEqual({ "30s": 0, "1m": 0, complete: 2 });
    expect(engine.top("1m", 5, "accounts")).toEqual([]);
    expect(engine.top("complete", 5, "accounts")).toEqual([{ tag: "go", count: 3, rank: 1, accounts: 2 }]);
  });

  it("keeps an account while any of its posts with the tag remains, through edits and deletes", () => {
    const { engine, ledger, tick } = setup();
    ledger.post(["art"], { id: "p1", acct: "a@x" });
    ledger.post(["art", "cat"], { id: "p2", acct: "a@x" });
    tick();
    ledger.delete("p1");
    tick();
    expect(engine.accountsOf("art")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    ledger.update("p2", ["cat", "dog"]);
    tick();
    expect(engine.accountsOf("art")).toEqual({ "30s": 0, "1m": 0, complete: 0 });
    expect(engine.accountsOf("dog")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    expect(engine.accountsOf("cat")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    ledger.delete("p2");
    tick();
    expect(engine.accountsOf("cat")).toEqual({ "30s": 0, "1m": 0, complete: 0 });
    expect(engine.accountsOf("dog")).toEqual({ "30s": 0, "1m": 0, complete: 0 });
  });

  it("a deletion of the newest post falls back to the older one, which then expires on its own time", () => {
    const { engine, ledger, tick } = setup();
    ledger.post(["go"], { id: "old", acct: "a@x" });
    tick(); // epoch 1 at +10 s
    tick();
    ledger.post(["go"], { id: "new", acct: "a@x" });
    tick(); // epoch 3 at +30 s
    ledger.delete("new");
    tick(); // +40 s: the 30 s window no longer holds epoch 1, and epoch 3's post is gone
    expect(engine.accountsOf("go")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
  });

  it("past the capacity forgets the least recently active pair and states the undercount", () => {
    const { engine, ledger, tick } = setup(2);
    ledger.post(["x"], { acct: "a@x" });
    ledger.post(["x"], { acct: "b@x" });
    tick();
    ledger.post(["x"], { acct: "c@x" });
    tick();
    expect(engine.accountsOf("x")).toEqual({ "30s": 2, "1m": 2, complete: 2 });
    expect(engine.accountErrorsOf("x")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    expect(engine.top("30s", 1, "accounts")).toEqual([{ tag: "x", count: 3, rank: 1, accounts: 2, accountsError: 1 }]);
    // a@x's only post (epoch 1, closed at +10 s) leaves the 30 s window at +40 s: so does its error there.
    tick();
    tick();
    expect(engine.accountErrorsOf("x")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
  });

  it("survives an export and restore with the same counts, and goes on expiring", () => {
    const { engine, ledger, tick } = setup();
    ledger.post(["go"], { id: "p", acct: "a@x" });
    ledger.post(["go"], { acct: "b@x" });
    tick();
    const restored = CountingEngine.restore(engine.exportState(), { windows: WINDOWS, topN: 20, accounts: { capacity: 1000 } });
    expect(restored.accountsOf("go")).toEqual({ "30s": 2, "1m": 2, complete: 2 });
    restored.retract(["go"], 1, "a@x");
    restored.tick(T0 + 20 * SECOND);
    expect(restored.accountsOf("go")).toEqual({ "30s": 1, "1m": 1, complete: 1 });
    restored.tick(T0 + 40 * SECOND);
    expect(restored.accountsOf("go")).toEqual({ "30s": 0, "1m": 1, complete: 1 });
  });
});

type Op =
  | { kind: "post"; tags: string[]; acct: number | undefined }
  | { kind: "update"; post: number; tags: string[] }
  | { kind: "delete"; post: number }
  | { kind: "tick"; ms: number };

const TAGS = ["a", "b", "c", "d"];
const tags = fc.array(fc.constantFrom(...TAGS), { maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("post" as const), tags, acct: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("update" as const), post: fc.nat(40), tags }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), post: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tick" as const), ms: fc.constantFrom(5_000, 10_000, 25_000, 70_000) }) },
);

describe("distinct accounts against a brute-force model", () => {
  it("agree in every window after every tick, through growth, expiry, edits and deletes", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const { engine, ledger } = setup();
        let now = T0;
        let epoch = 1;
        const closedAt = new Map<number, number>();
        // The model: every live post's author and (tag, epoch) occurrences.
        const posts: Array<{ acct: string | undefined; occ: Array<[string, number]>; live: boolean }> = [];
        const holds = (spec: WindowSpec, e: number): boolean =>
          closedAt.has(e) && (spec.kind === "complete" || (closedAt.get(e) as number) > now - spec.lengthMs);
        for (const o of ops) {
          if (o.kind === "post") {
            const acct = o.acct === undefined ? undefined : `u${o.acct}@x`;
            ledger.post(o.tags, { id: `p${posts.length}`, ...(acct !== undefined && { acct }) });
            posts.push({ acct, occ: o.tags.map((t) => [t, epoch]), live: true });
          } else if (o.kind === "update" || o.kind === "delete") {
            const post = posts[o.post];
            if (post === undefined || !post.live) continue;
            if (o.kind === "delete") {
              ledger.delete(`p${o.post}`);
              post.live = false;
            } else {
              ledger.update(`p${o.post}`, o.tags);
              const added = [...o.tags];
              post.occ = post.occ.filter(([t]) => {
                const i = added.indexOf(t);
                if (i !== -1) added.splice(i, 1);
                return i !== -1;
              });
              for (const t of added) post.occ.push([t, epoch]);
            }
          } else {
            now += o.ms;
            engine.tick(now);
            closedAt.set(epoch, now);
            epoch++;
            for (const tag of TAGS) {
              const expected: Record<string, number> = {};
              for (const spec of WINDOWS) {
                const name = spec.kind === "complete" ? "complete" : `${spec.lengthMs / SECOND}s`.replace("60s", "1m");
                const accts = new Set(posts.filter((p) => p.live && p.acct !== undefined && p.occ.some(([t, e]) => t === tag && holds(spec, e))).map((p) => p.acct));
                expected[name] = accts.size;
              }
              expect(engine.accountsOf(tag)).toEqual(expected);
            }
            const ranked = TAGS.map((t) => ({ t, n: engine.accountsOf(t)?.["30s"] ?? 0 }))
              .filter((x) => x.n > 0)
              .sort((x, y) => y.n - x.n || (x.t < y.t ? -1 : 1))
              .map((x) => x.t);
            expect(engine.top("30s", 4, "accounts")?.map((e) => e.tag)).toEqual(ranked);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
