/**
 * Hashtag names as Mastodon stores them, so that every spelling of a tag is counted once.
 *
 * Mastodon's HashtagNormalizer (app/lib/hashtag_normalizer.rb,
 * https://github.com/mastodon/mastodon/blob/main/app/lib/hashtag_normalizer.rb) names every tag
 * it stores, and the REST and streaming APIs send that name in `Status.tags[].name`. It applies,
 * in this order: NFKC, Ruby's `downcase`, ASCII folding (./ascii-folding.ts), then deletes every
 * character outside `[[:alnum:]]`, `_`, `·` (U+00B7), `・` (U+30FB), ZWNJ (U+200C) and the Thai
 * marks U+0E47-U+0E4E (Tag::HASHTAG_INVALID_CHARS_RE; the Thai range came with
 * https://github.com/mastodon/mastodon/pull/26576).
 */

import { foldLatinToAscii } from "./ascii-folding.ts";

/**
 * Onigmo's documentation says `[[:alnum:]]` is Letter | Mark | Decimal_Number, but Ruby builds
 * its tables as Alphabetic | Decimal_Number (tool/enc-unicode.rb in ruby/ruby; CR_Alpha skips
 * U+093C and U+094D). So marks that are not Alphabetic are deleted: the Devanagari virama and
 * nukta (Mastodon names `#विज्ञान` "विजञान", https://github.com/mastodon/mastodon/issues/18870),
 * combining accents such as U+0301 and U+0307, and the Thai tone marks, which is why Mastodon
 * lists those explicitly. Vowel signs are Alphabetic and stay.
 */
const INVALID_CHARACTER = /[^\p{Alphabetic}\p{Nd}_\u00B7\u30FB\u200C\u0E47-\u0E4E]/gu;

const CAPITAL_SIGMA = "\u03A3";
const SMALL_SIGMA = "\u03C3";

/**
 * True when every code unit from `start` on is `[a-z0-9_]`: such a name is already what Mastodon
 * would store, and most tags on the wire are like this.
 */
function isPlainAsciiName(text: string, start: number): boolean {
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const plain =
      (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
    if (!plain) return false;
  }
  return true;
}

/** One pass of Mastodon's steps, in Mastodon's order. */
function normaliseOnce(text: string): string {
  let name = text.normalize("NFKC");
  // JavaScript lowercases a word-final Σ to ς; Ruby's downcase does no context-dependent casing
  // (https://bugs.ruby-lang.org/issues/19317) and always gives σ. Both lowercase İ to "i" plus
  // U+0307, which the last step deletes, so "İstanbul" becomes "istanbul" in both.
  if (name.includes(CAPITAL_SIGMA)) name = name.replaceAll(CAPITAL_SIGMA, SMALL_SIGMA);
  name = foldLatinToAscii(name.toLowerCase());
  return name.replace(INVALID_CHARACTER, "");
}

/**
 * The name Mastodon would store for the hashtag `raw`, or `""` when nothing valid remains.
 *
 * Only normalises: it does not apply Mastodon's validation, so "___" stays "___" although
 * Mastodon would not create that tag. A leading `#` or `＃` needs no special case (the last step
 * deletes it) but is skipped first so that "#rust" takes the fast path.
 *
 * Idempotent, and names Mastodon already normalised come back unchanged. A single pass of
 * Mastodon's steps is not always idempotent: deleting a character can leave a sequence that
 * NFKC composes (Hangul jamo "ᄀ-ᅡ" becomes the two jamo of 가, which NFKC joins into U+AC00).
 * So the steps repeat until the name is NFKC-stable, which gives Mastodon's own result on its
 * second pass. After one pass no character has a compatibility decomposition left, so a repeat
 * can only compose (shortening the name) or reorder marks, and the loop ends.
 *
 * Known difference: character properties come from the Unicode version of this Node.js build,
 * Mastodon's from its Ruby's, so characters assigned between the two versions may differ.
 */
export function normaliseHashtag(raw: string): string {
  const first = raw.charCodeAt(0);
  const start = first === 0x23 || first === 0xff03 ? 1 : 0;
  if (isPlainAsciiName(raw, start)) return start === 0 ? raw : raw.slice(start);

  let name = normaliseOnce(raw);
  while (!isPlainAsciiName(name, 0) && name.normalize("NFKC") !== name) {
    name = normaliseOnce(name);
  }
  return name;
}
