/**
 * Per-language tops on scripted timelines: posts go to their language's top (und for none), in
 * the interval the main engine chose; edits and deletes take them back; auto:N follows the N
 * busiest languages. Exported and loaded (as a checkpoint does), they go on exactly as the original.
 */
import { describe, expect, it } from "vitest";
import { CountingEngine } from "../../../server/aggregator/engine/counting-engine.ts";
import { LanguageTops, type LanguageChoice, type LanguageTopsState } from "../../../server/aggregator/engine/language-tops.ts";
import { PostLedger } from "../../../server/aggregator/state/post-ledger.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";

const SECOND = 1000;
const T0 = Date.UTC(2026, 0, 1);
const WINDOWS: WindowSpec[] = [{ kind: "sliding", lengthMs: 30 * SECOND }, { kind: "complete" }];

function setup(choice: LanguageChoice) {
  let now = T0;
  const engine = new CountingEngine({ windows: WINDOWS, topN: 10, now, eventTime: { allowedLatenessMs: 60 * SECOND } });
  const languages = new LanguageTops({ windows: WINDOWS, topN: 10, capacity: 1000, choice }, now);
  const ledger = new PostLedger(engine, { maxEntries: 1000, maxAgeMs: 1e12 }, () => now, languages);
  const tick = (ms = 10 * SECOND): void => {
    now += ms;
    const { epoch } = engine.tick(now);
    languages.tick(now, epoch);
  };
  const names = (lang: string, window = "complete"): Array<[string, number]> | undefined => languages.top(lang, window, 10)?.map((e) => [e.tag, e.count]);
  return { engine, languages, ledger, tick, names, at: () => now };
}

describe("per-language tops", () => {
  it("ranks each kept language's posts apart, und for posts without a language, and not the others", () => {
    const { ledger, tick, names, languages } = setup({ kind: "list", codes: ["de", "ja", "und"] });
    ledger.post(["bahn", "kaffee"], { lang: "de" });
    ledger.post(["bahn"], { lang: "DE" });
    ledger.post(["写真"], { lang: "ja" });
    ledger.post(["coffee"], { lang: "en" });
    ledger.post(["ohne"], {});
    tick();
    expect(names("de")).toEqual([["bahn", 2], ["kaffee", 1]]);
    expect(names("ja")).toEqual([["写真", 1]]);
    expect(names("und")).toEqual([["ohne", 1]]);
    expect(names("en")).toBeUndefined();
    expect(languages.languages).toEqual(["de", "ja", "und"]);
  });

  it("takes edits and deletes back from the language's windows, and slides with the main engine", () => {
    const { ledger, tick, names } = setup({ kind: "list", codes: ["de"] });
    ledger.post(["bahn", "kaffee"], { lang: "de", id: "p1" });
    ledger.post(["bahn"], { lang: "de", id: "p2" });
    tick();
    ledger.update("p1", ["kaffee", "kuchen"]);
    ledger.delete("p2");
    tick();
    expect(names("de", "30s")).toEqual([["kaffee", 1], ["kuchen", 1]]);
    tick(30 * SECOND);
    expect(names("de", "30s")).toEqual([]);
    expect(names("de")).toEqual([["kaffee", 1], ["kuchen", 1]]);
  });

  it("puts a late post in the interval the main engine chose for it", () => {
    const { ledger, tick, names, at } = setup({ kind: "list", codes: ["de"] });
    tick();
    tick();
    tick(); // 30 s
    ledger.post(["jetzt"], { lang: "de", ts: at() + 5 * SECOND });
    ledger.post(["frueher"], { lang: "de", ts: T0 + 5 * SECOND }); // the interval closed at 10 s
    tick(); // 40 s: the 30 s window has let the interval closed at 10 s go
    expect(names("de", "30s")).toEqual([["jetzt", 1]]);
    expect(names("de")).toEqual([["frueher", 1], ["jetzt", 1]]);
  });

  it("auto:N follows the N busiest languages, and a language that overtakes one of them from then on", () => {
    const { ledger, tick, names, languages } = setup({ kind: "auto", busiest: 2 });
    for (let i = 0; i < 3; i++) ledger.post(["a"], { lang: "en" });
    ledger.post(["b"], { lang: "de" });
    tick();
    expect(languages.languages).toEqual(["en", "de"]);
    for (let i = 0; i < 2; i++) ledger.post(["c"], { lang: "fr" }); // fr: 2 posts; de has 1: fr replaces de at its second post
    tick();
    expect(languages.languages).toEqual(["en", "fr"]);
    expect(names("fr")).toEqual([["c", 1]]);
    expect(names("de")).toBeUndefined();
  });

  /** Restores `engine` and `languages` as a restart does: the main engine first, the tops created at its epoch, then loaded. */
  function restart(engine: CountingEngine, state: LanguageTopsState, choice: LanguageChoice) {
    const main = CountingEngine.restore(engine.exportState(), { windows: WINDOWS, topN: 10, eventTime: { allowedLatenessMs: 60 * SECOND } });
    const languages = new LanguageTops({ windows: WINDOWS, topN: 10, capacity: 1000, choice }, main.latest.at, main.latest.epoch);
    return { main, languages, loaded: languages.load(structuredClone(state)) };
  }

  it("goes on after an export and load exactly as the original: open interval, pending late posts, sliding and the busiest", () => {
    const choice: LanguageChoice = { kind: "auto", busiest: 2 };
    const { engine, languages, ledger, tick, at } = setup(choice);
    for (let i = 0; i < 3; i++) ledger.post(["bahn"], { lang: "de", id: `d${i}` });
    ledger.post(["sushi"], { lang: "ja" });
    tick(); // 10 s
    tick(); // 20 s
    ledger.post(["kaffee", "bahn"], { lang: "de" }); // open interval
    ledger.post(["frueher"], { lang: "de", ts: T0 + 5 * SECOND }); // the interval closed at 10 s, not applied yet
    ledger.post(["ramen"], { lang: "ja", ts: at() });
    const restarted = restart(engine, languages.exportState(), choice);
    expect(restarted.loaded).toBe(true);
    const both = [
      { main: engine, languages },
      { main: restarted.main, languages: restarted.languages },
    ];
    const view = (l: LanguageTops) => ({
      languages: l.languages,
      de: ["30s", "complete"].map((w) => l.top("de", w, 10)),
      ja: ["30s", "complete"].map((w) => l.top("ja", w, 10)),
      bahn: l.countsOf("bahn"),
    });
    const tickBoth = (ms: number): void => {
      for (const { main, languages } of both) languages.tick(T0 + ms, main.tick(T0 + ms).epoch);
    };
    tickBoth(30 * SECOND);
    expect(view(restarted.languages)).toEqual(view(languages));
    expect(restarted.languages.top("de", "complete", 10)?.map((e) => [e.tag, e.count])).toEqual([["bahn", 4], ["frueher", 1], ["kaffee", 1]]);
    // The interval closed at 10 s, the late post in it, leaves the 30 s window at 40 s.
    expect(restarted.languages.top("de", "30s", 10)?.map((e) => [e.tag, e.count])).toEqual([["bahn", 4], ["frueher", 1], ["kaffee", 1]]);
    tickBoth(40 * SECOND);
    expect(restarted.languages.top("de", "30s", 10)?.map((e) => [e.tag, e.count])).toEqual([["bahn", 1], ["kaffee", 1]]);
    // The tally came along: two French posts do not overtake Japanese (two posts too), a third does.
    for (const { main, languages } of both) {
      for (let i = 0; i < 3; i++) {
        const epoch = main.ingestPost(["baguette"]);
        languages.post("fr", ["baguette"], epoch);
        if (i === 1) expect(languages.languages).toEqual(["de", "ja"]);
      }
    }
    tickBoth(50 * SECOND);
    expect(restarted.languages.languages).toEqual(["de", "fr"]);
    expect(view(restarted.languages)).toEqual(view(languages));
    expect(restarted.languages.exportState()).toEqual(languages.exportState());
  });

  it("starts afresh from a state saved under another choice of languages", () => {
    const { engine, languages, ledger, tick } = setup({ kind: "list", codes: ["de", "ja"] });
    ledger.post(["bahn"], { lang: "de" });
    tick();
    const restarted = restart(engine, languages.exportState(), { kind: "list", codes: ["de"] });
    expect(restarted.loaded).toBe(false);
    expect(restarted.languages.languages).toEqual(["de"]);
    expect(restarted.languages.top("de", "complete", 10)).toEqual([]);
  });
});
