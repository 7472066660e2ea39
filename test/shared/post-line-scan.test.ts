import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLine } from "../../shared/line-protocol.ts";
import { scanPostLine } from "../../shared/post-line-scan.ts";

const KEYS = ["tags", "ts", "id", "lang", "acct"] as const;

/** Strings as they appear on the wire: plain, escaped, non-ASCII, lone surrogates, long. */
const stringValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("rust", "Rust", "#fedi", "", "en", "user@host.example", "https://mastodon.social/users/a/statuses/1", "a\"b", "a\\b", "🦀", "\ud800", "x".repeat(13)),
  fc.constant("\ud800x"),
  fc.string({ unit: "binary", maxLength: 20 }),
);

/** One value in JSON text: mostly the types each key wants, sometimes not. */
const valueText = fc.oneof(
  stringValue.map((s) => JSON.stringify(s)),
  fc.array(stringValue, { maxLength: 5 }).map((a) => JSON.stringify(a)),
  fc.constantFrom('"\ud83e"', '"a\udd80b"', "1700000000000", "0", "-0", "-5", "007", "1.5", "1e3", "1E400", "123456789012345", "1234567890123456", "-", "null", "true", "{}", "[1]", '["a",1]', "[]", '["a",]', '"open'),
  fc.integer().map(String),
  fc.double().map((n) => JSON.stringify(n)),
);

const key = fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom("op", "tag", "__proto__", "t\\u0073", "ts "));

/** The ingestor's shape: some of the five keys in any order, each with a value of its type. */
const postPairs = fc
  .tuple(
    // Nearly always with its tags: without them no line is a post.
    fc.oneof(
      { weight: 9, arbitrary: fc.subarray(["ts", "id", "lang", "acct"]).chain((rest) => fc.shuffledSubarray(["tags", ...rest], { minLength: rest.length + 1 })) },
      { weight: 1, arbitrary: fc.shuffledSubarray([...KEYS]) },
    ),
    fc.array(stringValue, { maxLength: 5 }),
    fc.oneof(fc.integer(), fc.maxSafeNat(), fc.constantFrom(1700000000000, -0, 0)),
    fc.array(stringValue, { minLength: 3, maxLength: 3 }),
  )
  .map(([keys, tags, ts, [id, lang, acct]]) => {
    const values: Record<string, unknown> = { tags, ts, id, lang, acct };
    return keys.map((k) => [k, JSON.stringify(values[k])] as [string, string]);
  });

/** Objects of keys and values, sometimes with whitespace or a byte of damage in them. */
const line = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: postPairs }, { weight: 1, arbitrary: fc.array(fc.tuple(key, valueText), { maxLength: 6 }) }),
    fc.constantFrom("", " ", "\t", "\r"),
    fc.option(fc.tuple(fc.nat(), fc.constantFrom("", " ", ",", "}", "]", "\"", ":", "\\", "x", "0", ".", "-")), { nil: undefined, freq: 2 }),
  )
  .map(([pairs, lead, damage]) => {
    const text = `${lead}{${pairs.map(([k, v]) => `${JSON.stringify(k).replace("\\\\u0073", "\\u0073")}:${v}`).join(",")}}`;
    if (damage === undefined) return text;
    const [at, insert] = damage;
    const index = at % (text.length + 1);
    return text.slice(0, index) + insert + text.slice(index + (insert === "" ? 1 : 0));
  });

/** The same JSON value with a space after its `{`: a shape the scanner leaves to JSON.parse. */
function spaced(text: string): string {
  const brace = text.indexOf("{");
  return `${text.slice(0, brace + 1)} ${text.slice(brace + 1)}`;
}

describe("scanPostLine", () => {
  it("reads the ingestor's post line", () => {
    const text = '{"tags":["Rust","python"],"ts":1700000000000,"id":"https://a.example/s/1","lang":"en","acct":"x@a.example"}';
    expect(scanPostLine(text, 0)).toEqual({ tags: ["Rust", "python"], ts: 1700000000000, id: "https://a.example/s/1", lang: "en", acct: "x@a.example" });
    expect(scanPostLine('{"acct":"a","tags":[]}', 0)).toEqual({ tags: [], ts: undefined, id: undefined, lang: undefined, acct: "a" });
  });

  it("leaves every other shape to JSON.parse", () => {
    for (const text of ['{"tags":["a"],"tags":["b"]}', '{"tags":["a\\u0062"]}', '{ "tags":["a"]}', '{"tags":["a"],"ts":1.5}', '{"tags":["a"],"lang":null}', '{"ts":1}', '{"tags":["a"],"op":"x"}', '{"tags":["a"]} ', "{}"]) {
      expect(scanPostLine(text, 0), text).toBeUndefined();
    }
  });

  it("gives exactly what JSON.parse gives, whenever it gives anything", () => {
    fc.assert(
      fc.property(line, (text) => {
        // parseLine scans from the brace only after blanks.
        fc.pre(/^[ \t]*\{/.test(text));
        const start = text.indexOf("{");
        const scanned = scanPostLine(text, start);
        if (scanned === undefined) return;
        const parsed = JSON.parse(text) as Record<string, unknown>;
        expect(Object.keys(parsed).every((k) => (KEYS as readonly string[]).includes(k))).toBe(true);
        expect(scanned.tags).toStrictEqual(parsed.tags);
        expect(Object.is(scanned.ts, parsed.ts)).toBe(true);
        expect([scanned.id, scanned.lang, scanned.acct]).toStrictEqual([parsed.id, parsed.lang, parsed.acct]);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("parseLine with the scanner", () => {
  it("accepts and refuses exactly what the JSON.parse path does", () => {
    fc.assert(
      fc.property(line, (text) => {
        // Damage before the brace makes a plain line, where a space is not insignificant.
        fc.pre(/^[ \t]*\{/.test(text));
        expect(parseLine(text)).toStrictEqual(parseLine(spaced(text)));
      }),
      { numRuns: 5000 },
    );
  });

  it("scans most generated post lines, so the comparison above is not all fallbacks", () => {
    const name = fc.stringMatching(/^(?:[#A-Za-z0-9_@.:\/éß-]|🦀){0,30}$/u);
    const post = fc.record({ tags: fc.array(name, { maxLength: 4 }), ts: fc.integer({ min: 0 }), id: name, lang: name, acct: name }, { requiredKeys: ["tags"] });
    const lines = fc.sample(post, 200).map((p) => JSON.stringify(p));
    // Without escapes every one is scanned.
    expect(lines.filter((text) => scanPostLine(text, 0) === undefined)).toEqual([]);
  });
});
