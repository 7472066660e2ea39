/**
 * The intake's fast path: most lines on the wire are plain lines of names that are already
 * normalised (`rust python fediverse`), and those can be counted straight from the socket's bytes.
 * A line qualifies when every byte is `[a-z0-9_]`, a space or a tab (one trailing CR allowed): such
 * tokens are exactly what `normaliseHashtag` returns unchanged (its ASCII fast path), so counting
 * them as they are gives the result `parseLine` would. Anything else (JSON, `#`, capitals, any
 * non-ASCII byte) goes to the general string path.
 */
import { fnvByte, FNV_OFFSET } from "./tag-bytes.ts";

const OTHER = 0;
const NAME = 1;
const BLANK = 2;

const CLASSES = (() => {
  const classes = new Uint8Array(256);
  for (const range of ["az", "09", "__"]) {
    for (let code = range.charCodeAt(0); code <= range.charCodeAt(1); code++) classes[code] = NAME;
  }
  classes[0x20] = BLANK;
  classes[0x09] = BLANK;
  return classes;
})();

/**
 * Scans `bytes[start..end)` (a line without its newline). For each token it writes its start, end
 * and FNV-1a hash into `tokens` (3 slots a token; room for (end - start + 1) / 2 tokens is needed)
 * and returns the number of tokens, or -1 when the line needs the general parser.
 */
export function scanPlainLine(bytes: Uint8Array, start: number, end: number, tokens: Uint32Array): number {
  let stop = end;
  if (stop > start && bytes[stop - 1] === 0x0d) stop--;
  let count = 0;
  let at = start;
  while (at < stop) {
    const kind = CLASSES[bytes[at] as number];
    if (kind === BLANK) {
      at++;
      continue;
    }
    if (kind === OTHER) return -1;
    const tokenStart = at;
    let hash = FNV_OFFSET;
    do {
      hash = fnvByte(hash, bytes[at] as number);
      at++;
    } while (at < stop && CLASSES[bytes[at] as number] === NAME);
    if (at < stop && CLASSES[bytes[at] as number] === OTHER) return -1;
    tokens[count * 3] = tokenStart;
    tokens[count * 3 + 1] = at;
    tokens[count * 3 + 2] = hash >>> 0;
    count++;
  }
  return count;
}
