import { describe, expect, it } from "vitest";
import { foldLatinToAscii } from "../../shared/ascii-folding.ts";
import { normaliseHashtag } from "../../shared/hashtag.ts";

// Each expectation follows from Mastodon's HashtagNormalizer (NFKC, Ruby downcase, ASCII folding,
// deletion of everything outside Ruby's [[:alnum:]] = Alphabetic | Decimal_Number and the
// separators), checked character by character against Ruby's Unicode tables.
const MASTODON_NAMES: ReadonlyArray<readonly [raw: string, name: string, why: string]> = [
  ["rust", "rust", "plain ASCII"],
  ["rust_2024", "rust_2024", "digits and underscore"],
  ["#Rust", "rust", "leading # and case"],
  ["＃rust", "rust", "full-width number sign"],
  ["##rust", "rust", "a second # is deleted as invalid"],
  ["MastoAdmin", "mastoadmin", "mixed-case legacy tag"],
  ["FediVerse2024", "fediverse2024", "mixed-case legacy tag with digits"],
  ["Café", "cafe", "accent folded"],
  ["Cafe\u0301", "cafe", "NFKC composes é before folding"],
  ["ＴＥＳＴ", "test", "full-width letters"],
  ["２０２４", "2024", "full-width digits"],
  ["x²", "x2", "superscript digit"],
  ["ﬁle", "file", "ligature decomposed by NFKC"],
  ["𝐁𝐨𝐥𝐝", "bold", "mathematical bold letters"],
  ["Łódź", "lodz", "stroke and accents folded"],
  ["Bucureşti", "bucuresti", "ş (U+015F) is in the folding set"],
  ["București", "bucurești", "ș (U+0219) is beyond it"],
  ["Tiếng_Việt", "tiếng_việt", "Vietnamese letters are beyond it"],
  ["Straße", "straße", "ß is not folded"],
  ["GROẞ", "groß", "capital sharp s lowercases to ß"],
  ["æsir", "æsir", "æ is not folded"],
  ["Œuvre", "œuvre", "œ is not folded"],
  ["Ĳsselmeer", "ijsselmeer", "ĳ is split by NFKC"],
  ["İstanbul", "istanbul", "İ lowercases to i + U+0307, which is deleted"],
  ["IŞIK", "isik", "no Turkish casing: I lowercases to i"],
  ["ışık", "isik", "ı folds to i"],
  ["Ελλάδα", "ελλάδα", "Greek accents are not folded"],
  ["ΟΔΟΣ", "οδοσ", "Ruby lowercases a final Σ to σ"],
  ["οδος", "οδος", "a typed ς stays"],
  ["Ёлка", "ёлка", "Cyrillic is not folded"],
  ["a·b", "a·b", "middle dot kept"],
  ["می\u200Cخواهم", "می\u200Cخواهم", "ZWNJ kept"],
  ["a\u200Db", "ab", "ZWJ deleted"],
  ["हिन्दी", "हिनदी", "virama U+094D is a mark but not Alphabetic"],
  ["विज्ञान", "विजञान", "the name Mastodon shows, mastodon/mastodon#18870"],
  ["ग़लती", "गलती", "NFKC splits off the nukta, which is deleted"],
  ["हिनदी", "हिनदी", "vowel signs are Alphabetic"],
  ["ทวิตล่ม", "ทวิตล่ม", "Thai vowel mark and tone mark U+0E48 kept"],
  ["เป็น", "เป็น", "Thai U+0E47 kept"],
  ["สิ่งแวดล้อม", "สิ่งแวดล้อม", "Thai tone marks U+0E48 and U+0E49 kept"],
  ["ทั้งนี้", "ทั้งนี้", "Thai U+0E31 and U+0E49 kept"],
  ["๏ไทย", "ไทย", "Thai U+0E4F is punctuation"],
  ["ไทย๑๒", "ไทย๑๒", "Thai digits"],
  ["٢٠٢٤", "٢٠٢٤", "Arabic-Indic digits"],
  ["한국어", "한국어", "Hangul"],
  ["ポケモン・GO", "ポケモン・go", "katakana middle dot kept"],
  ["ﾎﾟｹﾓﾝ･ＧＯ", "ポケモン・go", "half-width katakana and dot widened by NFKC"],
  ["Café_ＴＥＳＴ-x·y", "cafe_testx·y", "all steps at once"],
  ["🦀rust", "rust", "emoji deleted"],
  ["👩‍💻dev", "dev", "emoji sequence deleted"],
  ["rust-lang", "rustlang", "hyphen deleted"],
  ["node.js", "nodejs", "dot deleted"],
  ["c++", "c", "plus deleted"],
  ["no spaces", "nospaces", "space deleted"],
  ["!?.", "", "only punctuation"],
  ["#", "", "only a number sign"],
  ["", "", "empty"],
];

describe("normaliseHashtag", () => {
  it.each(MASTODON_NAMES)("%j -> %j (%s)", (raw, name) => {
    expect(normaliseHashtag(raw)).toBe(name);
  });

  it("leaves every name of the table unchanged, so it is idempotent on it", () => {
    const renamed = MASTODON_NAMES.map(([, name]) => name).filter(
      (name) => normaliseHashtag(name) !== name,
    );
    expect(renamed).toEqual([]);
  });

  it("repeats Mastodon's steps where deleting a character lets NFKC compose", () => {
    // One pass of Mastodon's gives the jamo pair U+1100 U+1161; its second pass gives U+AC00.
    expect(normaliseHashtag("\u1100-\u1161")).toBe("\uAC00");
    expect(normaliseHashtag("\u03B1-\u0345")).toBe("\u1FB3");
  });

  it("is idempotent on generated strings of awkward characters", () => {
    // Few symbols, so that composable neighbours separated by a deleted character come up often.
    const alphabet = [
      ...["\u1100", "\u1161", "\u11A8", "\u03B1", "\u0345", "e", "\u0301", "\u0E48"],
      ...["-", "🦀", "\u094D", "İ", "Σ", "ß", "ł", "ﬁ", "ｶ", "ﾞ", "·", "\u200C"],
    ];
    let seed = 12345;
    const nextIndex = (size: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * size);
    };
    const unstable: string[] = [];
    for (let sample = 0; sample < 5000; sample++) {
      let raw = "";
      const length = 1 + nextIndex(8);
      for (let index = 0; index < length; index++) raw += alphabet[nextIndex(alphabet.length)];
      const once = normaliseHashtag(raw);
      if (normaliseHashtag(once) !== once) unstable.push(raw);
    }
    expect(unstable).toEqual([]);
  });
});

describe("foldLatinToAscii", () => {
  it("folds 181 letters of U+00C0-U+017F to one ASCII letter and keeps the rest", () => {
    const kept: string[] = [];
    let folded = 0;
    for (let code = 0xc0; code <= 0x17f; code++) {
      const letter = String.fromCharCode(code);
      const result = foldLatinToAscii(letter);
      if (result === letter) kept.push(letter);
      else if (/^[A-Za-z]$/.test(result)) folded++;
    }
    expect(kept.join("")).toBe("Æ×Þßæ÷þĲĳŒœ");
    expect(folded).toBe(181);
  });

  it("folds the letters that have no decomposition", () => {
    expect(foldLatinToAscii("ÐðĐđĦħıĸĿŀŁłŉŊŋØøſŦŧ")).toBe("DdDdHhikLlLlnNnOosTt");
  });

  it("folds in place inside longer text and returns other text as is", () => {
    expect(foldLatinToAscii("über_Ålesund·ø")).toBe("uber_Alesund·o");
    expect(foldLatinToAscii("ǎșệёάह")).toBe("ǎșệёάह");
    expect(foldLatinToAscii("")).toBe("");
  });
});
