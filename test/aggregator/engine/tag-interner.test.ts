import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TagInterner } from "../../../server/aggregator/engine/tag-interner.ts";

describe("TagInterner", () => {
  it("gives each name one id, from bytes or from strings alike", () => {
    const interner = new TagInterner();
    expect(interner.intern("rust")).toBe(0);
    expect(interner.intern("café")).toBe(1);
    const bytes = Buffer.from("xrusty", "latin1");
    expect(interner.internBytes(bytes, 1, 5, hashOf("rust"))).toBe(0);
    expect(interner.lookup("café")).toBe(1);
    expect(interner.lookup("cafe")).toBeUndefined();
    expect(interner.name(1)).toBe("café");
    expect(interner.size).toBe(2);
  });

  it("releases ids for reuse and keeps every other name findable", () => {
    const interner = new TagInterner();
    const names = Array.from({ length: 20_000 }, (_, i) => `t${i}`);
    for (const name of names) interner.intern(name);
    for (let i = 0; i < names.length; i += 2) interner.release(i);
    expect(interner.size).toBe(10_000);
    for (let i = 0; i < names.length; i++) expect(interner.lookup(names[i] as string)).toBe(i % 2 === 0 ? undefined : i);
    const reused = interner.intern("new");
    expect(reused % 2).toBe(0);
    expect(interner.name(reused)).toBe("new");
    expect(interner.idLimit).toBe(20_000);
    expect(() => interner.name(0 === reused ? 2 : 0)).toThrow(RangeError);
  });

  it("orders names exactly as JavaScript compares the strings (UTF-16 code units)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }), fc.string({ unit: "grapheme", minLength: 1 }), (a, b) => {
        const interner = new TagInterner();
        const ia = interner.intern(a);
        const ib = interner.intern(b);
        expect(Math.sign(interner.compare(ia, ib))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
    const interner = new TagInterner();
    // U+1F980 (a surrogate pair) sorts before U+FF21 in UTF-16, after it by code point.
    expect(interner.compare(interner.intern("\u{1F980}"), interner.intern("\uFF21"))).toBeLessThan(0);
  });
});

function hashOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

describe("TagInterner against a Map", () => {
  // Names of every shape the slots tell apart: inline (up to 11 bytes), long, non-ASCII, sharing prefixes.
  const name = fc.oneof(
    fc.string({ unit: fc.constantFrom("a", "b", "_", "1"), minLength: 1, maxLength: 14 }),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
    fc.nat(30).map((n) => `${"long_prefix_".repeat(1 + (n % 3))}${n}`),
  );
  type Step = { kind: "intern" | "release"; name: string };
  const step: fc.Arbitrary<Step> = fc.record({ kind: fc.constantFrom<Step["kind"]>("intern", "intern", "release"), name });

  it("finds, names and releases exactly what a Map keyed by name would", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const interner = new TagInterner();
        const model = new Map<string, number>();
        for (const { kind, name: n } of steps) {
          if (kind === "intern") {
            const bytes = Buffer.from(`\n${n} `, "utf8");
            const id = interner.internBytes(bytes, 1, bytes.length - 1, hashOf(n));
            if (model.has(n)) expect(id).toBe(model.get(n));
            else model.set(n, id);
          } else if (model.has(n)) {
            interner.release(model.get(n) as number);
            model.delete(n);
          }
        }
        expect(interner.size).toBe(model.size);
        for (const [n, id] of model) {
          expect(interner.lookup(n)).toBe(id);
          expect(interner.name(id)).toBe(n);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps long names findable when released ones make it compact its arena", () => {
    const interner = new TagInterner();
    const names = Array.from({ length: 3000 }, (_, i) => `${"a_rather_long_hashtag_name_".repeat(2)}${i}`);
    for (const n of names) interner.intern(n);
    for (let i = 0; i < names.length; i++) if (i % 3 !== 0) interner.release(interner.lookup(names[i] as string) as number);
    for (let i = 0; i < names.length; i++) {
      const id = interner.lookup(names[i] as string);
      expect(id === undefined ? undefined : interner.name(id)).toBe(i % 3 === 0 ? names[i] : undefined);
    }
    expect(interner.intern(names[0] as string)).toBe(interner.lookup(names[0] as string));
    expect(interner.size).toBe(1000);
  });

  it("compacts rather than grows a full arena that released names waste a third of", () => {
    const interner = new TagInterner();
    const long = (prefix: string, i: number): string => `${prefix.repeat(4)}${i}`;
    const names = Array.from({ length: 2000 }, (_, i) => long("first_name_", i));
    for (const n of names) interner.intern(n);
    for (let i = 0; i < names.length; i += 3) interner.release(interner.lookup(names[i] as string) as number);
    const more = Array.from({ length: 2000 }, (_, i) => long("other_name_", i));
    for (const n of more) interner.intern(n);
    const held = [...names.filter((_, i) => i % 3 !== 0), ...more];
    expect(held.map((n) => interner.name(interner.lookup(n) as number))).toEqual(held);
    expect(interner.size).toBe(held.length);
  });
});
