/**
 * Mastodon's ASCII folding of accented Latin letters, one step of its hashtag normaliser.
 *
 * Source of the rule: app/lib/ascii_folding.rb in mastodon/mastodon
 * (https://github.com/mastodon/mastodon/blob/main/app/lib/ascii_folding.rb). Its set is exactly
 * the letters of Latin-1 Supplement and Latin Extended-A (U+00C0-U+017F) that are an ASCII
 * letter carrying diacritics, plus the letters of those blocks that have a stroke, bar or hook
 * instead (ł, ø, đ, ...). Nothing else is folded: not æ, œ, ĳ, þ or ß, not Latin letters beyond
 * U+017F (ǎ, ș, ệ), and never letters of other scripts. Rather than a transcribed table, the set
 * is derived from Unicode's canonical decompositions, which yields the same 181 letters.
 */

const FIRST = 0x00c0;
const LAST = 0x017f;

// These have no canonical decomposition, so Unicode cannot say which ASCII letter they carry.
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  Ð: "D",
  ð: "d",
  Đ: "D",
  đ: "d",
  Ħ: "H",
  ħ: "h",
  ı: "i",
  ĸ: "k",
  Ŀ: "L",
  ŀ: "l",
  Ł: "L",
  ł: "l",
  ŉ: "n",
  Ŋ: "N",
  ŋ: "n",
  Ø: "O",
  ø: "o",
  ſ: "s",
  Ŧ: "T",
  ŧ: "t",
};

const ASCII_LETTER_WITH_MARKS = /^[A-Za-z]\p{M}+$/u;

/** ASCII code of the folded letter for each code point FIRST..LAST; 0 where it is kept. */
const FOLDED = buildFoldTable();

function buildFoldTable(): Uint8Array {
  const table = new Uint8Array(LAST - FIRST + 1);
  for (let code = FIRST; code <= LAST; code++) {
    const letter = String.fromCharCode(code);
    const decomposed = letter.normalize("NFD");
    const ascii =
      UNDECOMPOSABLE[letter] ??
      (ASCII_LETTER_WITH_MARKS.test(decomposed) ? decomposed[0] : undefined);
    if (ascii !== undefined) table[code - FIRST] = ascii.charCodeAt(0);
  }
  return table;
}

function foldedCode(code: number): number {
  return code >= FIRST && code <= LAST ? (FOLDED[code - FIRST] ?? 0) : 0;
}

/**
 * Replaces each folded Latin letter by its ASCII letter. Returns `text` itself when nothing
 * folds, and otherwise copies the unchanged runs as slices.
 */
export function foldLatinToAscii(text: string): string {
  let index = 0;
  while (index < text.length && foldedCode(text.charCodeAt(index)) === 0) index++;
  if (index === text.length) return text;

  let out = "";
  let runStart = 0;
  for (; index < text.length; index++) {
    const ascii = foldedCode(text.charCodeAt(index));
    if (ascii === 0) continue;
    out += text.slice(runStart, index) + String.fromCharCode(ascii);
    runStart = index + 1;
  }
  return out + text.slice(runStart);
}
