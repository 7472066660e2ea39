/**
 * A scanner for the one JSON line shape that makes up nearly all the traffic: a post as the
 * ingestor writes it, `{"tags":["rust",...],"ts":1700000000000,"id":"https://…","lang":"en","acct":"user@host"}`
 * (keys in any order, each at most once, any of them absent). It reads the fields straight from the
 * line's characters, without building a generic value tree first; JSON.parse was the largest cost
 * of a post line after the counting itself.
 *
 * It gives up (undefined) on anything else: whitespace between tokens, another key, a repeated key,
 * an escape sequence, a `null`, a number with a fraction or an exponent or more than 15 digits, a
 * value of another type. The caller then parses the line with JSON.parse, so whatever the scanner
 * returns must be exactly what JSON.parse would have made of those keys; the differential test
 * (test/shared/post-line-scan.test.ts) holds it to that.
 */

/** A post line's fields as JSON.parse would give them; absent keys are undefined. */
export interface ScannedPost {
  readonly tags: string[];
  readonly ts: number | undefined;
  readonly id: string | undefined;
  readonly lang: string | undefined;
  readonly acct: string | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** More digits than this may not be an exact double, and then JSON.parse's rounding would matter. */
const MAX_DIGITS = 15;
/**
 * V8 keeps a substring of 13 or more characters as a view of the whole line. A post's id, author
 * and tag names outlive the line (post memory, distinct accounts), so such strings are copied out
 * rather than left holding up to a whole line each.
 */
const SHARED_SUBSTRING_LENGTH = 13;

/** The position after the closing quote of the string starting at `at`, or -1 if the scanner gives up. */
function endOfString(text: string, at: number): number {
  if (text.charCodeAt(at) !== QUOTE) return -1;
  for (let index = at + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) return index + 1;
    if (code === BACKSLASH || code < 0x20) return -1;
  }
  return -1;
}

/** The content of the string `text[start..end)` (quotes included), as a string of its own. */
function stringAt(text: string, start: number, end: number): string {
  if (end - start - 2 < SHARED_SUBSTRING_LENGTH) return text.slice(start + 1, end - 1);
  // No escapes inside, so JSON.parse gives the same characters, in a string that owns them.
  return JSON.parse(text.slice(start, end)) as string;
}

const OTHER = 0;
const TAGS = 1;
const TS = 2;
const ID = 3;
const LANG = 4;
const ACCT = 5;
const KEYS: ReadonlyArray<readonly [number, string]> = [
  [TAGS, "tags"],
  [TS, "ts"],
  [ID, "id"],
  [LANG, "lang"],
  [ACCT, "acct"],
];

/** Which of the five keys `text[start..end)` is, compared in place rather than cut out as a string. */
function keyAt(text: string, start: number, end: number): number {
  for (const [key, name] of KEYS) if (name.length === end - start && text.startsWith(name, start)) return key;
  return OTHER;
}

/** Scans the post line `text` whose `{` is at `start`; undefined for anything but the common shape. */
export function scanPostLine(text: string, start: number): ScannedPost | undefined {
  if (text.charCodeAt(start) !== OPEN_BRACE) return undefined;
  let tags: string[] | undefined;
  let ts: number | undefined;
  let id: string | undefined;
  let lang: string | undefined;
  let acct: string | undefined;
  let at = start + 1;
  for (;;) {
    const keyEnd = endOfString(text, at);
    if (keyEnd === -1 || text.charCodeAt(keyEnd) !== COLON) return undefined;
    const key = keyAt(text, at + 1, keyEnd - 1);
    const value = keyEnd + 1;
    let end: number;
    if (key === TAGS && tags === undefined) {
      tags = [];
      end = scanTags(text, value, tags);
    } else if (key === TS && ts === undefined) {
      end = endOfInteger(text, value);
      if (end !== -1) ts = Number(text.slice(value, end));
    } else if ((key === ID && id === undefined) || (key === LANG && lang === undefined) || (key === ACCT && acct === undefined)) {
      end = endOfString(text, value);
      if (end !== -1) {
        const string = stringAt(text, value, end);
        if (key === ID) id = string;
        else if (key === LANG) lang = string;
        else acct = string;
      }
    } else {
      return undefined;
    }
    if (end === -1) return undefined;
    const next = text.charCodeAt(end);
    if (next === COMMA) at = end + 1;
    else if (next === CLOSE_BRACE && end + 1 === text.length && tags !== undefined) return { tags, ts, id, lang, acct };
    else return undefined;
  }
}

/** Fills `into` with the array of strings at `at`; the position after its `]`, or -1. */
function scanTags(text: string, at: number, into: string[]): number {
  if (text.charCodeAt(at) !== OPEN_BRACKET) return -1;
  if (text.charCodeAt(at + 1) === CLOSE_BRACKET) return at + 2;
  for (let item = at + 1; ; ) {
    const end = endOfString(text, item);
    if (end === -1) return -1;
    into.push(stringAt(text, item, end));
    const next = text.charCodeAt(end);
    if (next === CLOSE_BRACKET) return end + 1;
    if (next !== COMMA) return -1;
    item = end + 1;
  }
}

/** The end of the JSON integer at `at` (`-?(0|[1-9][0-9]*)`, at most MAX_DIGITS digits), or -1. */
function endOfInteger(text: string, at: number): number {
  const first = text.charCodeAt(at) === MINUS ? at + 1 : at;
  let end = first;
  while (end < text.length && text.charCodeAt(end) >= ZERO && text.charCodeAt(end) <= NINE) end++;
  const digits = end - first;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && text.charCodeAt(first) === ZERO)) return -1;
  return end;
}
