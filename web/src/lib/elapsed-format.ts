/** Short, glanceable spans of time: "3 s", "12 min", "2 h 5 min", "3 d 4 h". */
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1000],
];

/** `ms` in its largest unit, and the next one too when `parts` is 2 and it is not zero. */
export function formatElapsed(ms: number, parts: 1 | 2 = 1): string {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  const out: string[] = [];
  for (const [unit, size] of UNITS) {
    if (out.length === parts) break;
    const n = Math.floor(rest / size);
    if (n > 0 || (out.length === 0 && size === 1000)) out.push(`${n} ${unit}`);
    else if (out.length > 0) break;
    rest -= n * size;
  }
  return out.join(" ");
}
