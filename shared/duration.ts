/**
 * Durations as people and Spark write them: "10 seconds", "500ms", "2s", "1 minute", "15m", "1h30m".
 *
 * Used by the config (trigger interval, window lengths) and by the dashboard (window captions), so
 * both sides agree on what a window name means.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)\s*([a-z]+)/gy;

/** Milliseconds, or `undefined` when the text is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const input = text.trim().toLowerCase();
  if (input === "") return undefined;
  let total = 0;
  let index = 0;
  PART.lastIndex = 0;
  while (index < input.length) {
    PART.lastIndex = index;
    const match = PART.exec(input);
    if (!match) return undefined;
    const unit = UNIT_MS[match[2] ?? ""];
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
    index = PART.lastIndex;
    while (input[index] === " ") index++;
  }
  const ms = Math.round(total);
  return ms > 0 ? ms : undefined;
}

const STEPS: ReadonlyArray<readonly [string, number]> = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/**
 * The canonical short form: 900000 -> "15m", 5400000 -> "1h30m", 500 -> "500ms", and a fraction
 * of a second after whole seconds as people write it: 1500 -> "1.5s", not "1s500ms".
 */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  let out = "";
  for (const [unit, size] of STEPS) {
    if (unit === "s" && rest >= size && rest % size !== 0) {
      return `${out}${String(rest / size)}s`;
    }
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out === "" ? "0ms" : out;
}

const LONG_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  d: ["day", "days"],
  h: ["hour", "hours"],
  m: ["minute", "minutes"],
  s: ["second", "seconds"],
  ms: ["millisecond", "milliseconds"],
};

/** Human words for a duration: 900000 -> "15 minutes", 3600000 -> "1 hour". */
export function describeDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of STEPS) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      const [one, many] = LONG_NAMES[unit] ?? [unit, unit];
      parts.push(`${n} ${n === 1 ? one : many}`);
      rest %= size;
    }
  }
  return parts.join(" ");
}

/** The window that counts everything since start: Spark's complete output mode. */
export const COMPLETE_WINDOW = "complete";

/** A caption for a window name from `hello.windows`: "15m" -> "last 15 minutes". */
export function describeWindow(name: string): string {
  if (name === COMPLETE_WINDOW) return "since start";
  const ms = parseDuration(name);
  return ms === undefined ? name : `last ${describeDuration(ms)}`;
}
