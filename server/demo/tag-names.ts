/**
 * The two hashtag normalisations of Mastodon that the simulator reproduces (independently
 * re-implemented: accent folding by Unicode decomposition plus the Latin letters that do not
 * decompose).
 *
 * - `storedTagName`: what the Rails side stores as a tag's name (app/lib/hashtag_normalizer.rb):
 *   NFKC, lowercase, Latin folded to ASCII, then only letters, marks, digits, `_`, `·`, `・` and
 *   ZWNJ kept. Statuses carry this name in `tags[].name` (tags created before the normaliser
 *   existed keep their original spelling; the vocabulary marks a few such legacy names).
 * - `channelTagName`: how the streaming server keys hashtag channels (normalizeHashtag in
 *   streaming/utils.js): the same, but it keeps no marks and no `・`, so `#` and `-` vanish and
 *   combining marks are lost. The simulator keys both subscriptions and published tags with it, so
 *   `Café`, `café` and `#cafe` all meet on `cafe`.
 */

/** Latin letters with a stroke or other built-in modification that NFD leaves whole. */
const UNDECOMPOSABLE_LATIN: Readonly<Record<string, string>> = {
  "đ": "d",
  "ð": "d",
  "ħ": "h",
  "ı": "i",
  "ĸ": "k",
  "ŀ": "l",
  "ł": "l",
  "ŉ": "n",
  "ŋ": "n",
  "ø": "o",
  "ŧ": "t",
  "ſ": "s",
};

function foldLatin(text: string): string {
  // Only marks that sit on a Latin letter are dropped: kana voicing marks and Indic vowel signs stay.
  const stripped = text.normalize("NFD").replace(/(\p{Script=Latin})\p{M}+/gu, "$1").normalize("NFC");
  return stripped.replace(/[đðħıĸŀłŉŋøŧſ]/gu, (letter) => UNDECOMPOSABLE_LATIN[letter] ?? letter);
}

const OUTSIDE_STORED = /[^\p{L}\p{M}\p{Nd}_\u00b7\u30fb\u200c]/gu;
const OUTSIDE_CHANNEL = /[^\p{L}\p{N}_\u00b7\u200c]/gu;

export function storedTagName(display: string): string {
  return foldLatin(display.normalize("NFKC").toLowerCase()).replace(OUTSIDE_STORED, "");
}

export function channelTagName(tag: string): string {
  return foldLatin(tag.normalize("NFKC").toLowerCase()).replace(OUTSIDE_CHANNEL, "");
}
