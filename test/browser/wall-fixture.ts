/**
 * Traffic that looks like a real federated timeline (Latin, Japanese, Korean and Hindi tags, a
 * long tail; tags that rise, hold, fade, burst, or arrive all at once at the end), fed to the real aggregator on a virtual clock:
 * twelve triggers two minutes apart, so the 15-minute window has slid and every tag in the top
 * has a history to draw. `advance` runs one more trigger, ten seconds later, for a page that is
 * already open to see movements and rates.
 *
 * `expectedTop` recomputes the window's ranking from the batches alone, as an independent oracle.
 */
import net from "node:net";
import { once } from "node:events";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import type { Harness } from "../support/aggregator-harness.ts";

type Profile = "rising" | "steady" | "fading" | "burst" | "late";

/** Tags as authors write them, how much they are used over the whole run, and how. */
const TAGS: ReadonlyArray<readonly [string, number, Profile]> = [
  ["photography", 900, "steady"], ["caturday", 620, "fading"], ["Fediverse", 560, "steady"], ["写真", 520, "rising"],
  ["art", 500, "steady"], ["news", 430, "burst"], ["music", 400, "steady"], ["猫のいる暮らし", 330, "rising"],
  ["science", 300, "fading"], ["books", 260, "steady"], ["사진", 240, "rising"], ["climate", 220, "burst"],
  ["linux", 180, "steady"], ["हिन्दी", 170, "rising"], ["MastoArt", 160, "fading"], ["astronomy", 130, "burst"],
  ["gardening", 120, "steady"], ["histodons", 100, "fading"], ["cycling", 90, "rising"], ["birds", 80, "steady"],
  ["rustlang", 60, "burst"], ["poetry", 40, "steady"], ["knitting", 30, "fading"], ["sourdough", 150, "late"],
  ["chess", 10, "steady"],
];

export const TRIGGERS = 13;
const WINDOW_MS = 15 * 60_000;
const START = Date.parse("2026-11-21T09:00:00.000Z");

/** Virtual time of trigger k (1-based): every two minutes, the last one ten seconds after the one before. */
function triggerTime(k: number): number {
  return START + Math.min(k, TRIGGERS - 1) * 120_000 + (k === TRIGGERS ? 10_000 : 0);
}

function weight(profile: Profile, k: number): number {
  switch (profile) {
    case "rising":
      return k * k;
    case "steady":
      return 1;
    case "fading":
      return (TRIGGERS + 1 - k) ** 2;
    case "burst":
      return k >= TRIGGERS - 3 ? 12 : 1;
    case "late":
      return k === TRIGGERS ? 30 : 1;
  }
}

/** counts[k - 1][i]: uses of tag i sent before trigger k, spread by its profile. */
const COUNTS: readonly (readonly number[])[] = (() => {
  const table = Array.from({ length: TRIGGERS }, () => TAGS.map(() => 0));
  TAGS.forEach(([, volume, profile], i) => {
    const weights = Array.from({ length: TRIGGERS }, (_, k) => weight(profile, k + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    let sent = 0;
    let cumulative = 0;
    weights.forEach((w, k) => {
      cumulative += w;
      const upTo = Math.round((volume * cumulative) / total);
      (table[k] as number[])[i] = upTo - sent;
      sent = upTo;
    });
  });
  return table;
})();

export interface Ranked {
  readonly tag: string;
  readonly count: number;
}

/** A window's ranking after `triggers` triggers: count descending, then name. */
export function expectedTop(triggers: number, n: number, window: "15m" | "complete" = "15m"): Ranked[] {
  const now = triggerTime(triggers);
  const totals = TAGS.map(() => 0);
  for (let k = 1; k <= triggers; k++) {
    if (window === "15m" && triggerTime(k) <= now - WINDOW_MS) continue;
    (COUNTS[k - 1] as number[]).forEach((count, i) => (totals[i] = (totals[i] ?? 0) + count));
  }
  return TAGS.map(([tag], i) => ({ tag: normaliseHashtag(tag), count: totals[i] ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1))
    .slice(0, n);
}

/** Lines (posts) and tag uses in the batch sent before trigger k. */
export function batchSize(k: number): { lines: number; tags: number } {
  const counts = COUNTS[k - 1] ?? [];
  return { lines: Math.max(...counts), tags: counts.reduce((a, b) => a + b, 0) };
}

/** Plain lines in which tag i appears `counts[i]` times. */
function linesFor(counts: readonly number[]): string {
  let out = "";
  const most = Math.max(...counts);
  for (let line = 1; line <= most; line++) {
    const tags = TAGS.filter((_, i) => (counts[i] ?? 0) >= line).map(([tag]) => `#${tag}`);
    out += `${tags.join(" ")}\n`;
  }
  return out;
}

export class WallFixture {
  now = START;
  /** The clock to give the harness. */
  readonly clock = (): number => this.now;
  triggers = 0;
  #ingestor: net.Socket | undefined;

  /**
   * Connects as the demo ingestor does (the connection stays open, so the wall says "simulated
   * stream" and counts one ingestor), then runs all triggers but the last.
   */
  async start(harness: Harness): Promise<void> {
    const socket = net.createConnection(harness.aggregator.intake.port, "127.0.0.1");
    this.#ingestor = socket;
    await once(socket, "connect");
    socket.write('{"op":"hello","source":"demo","instances":["mastodon.example"]}\n');
    while (harness.aggregator.stats.source !== "demo") await new Promise((resolve) => setTimeout(resolve, 5));
    while (this.triggers < TRIGGERS - 1) await this.advance(harness);
  }

  /** Sends the next batch and triggers. */
  async advance(harness: Harness): Promise<void> {
    if (this.triggers >= TRIGGERS) throw new Error("the fixture has no more batches");
    await harness.sendLines(linesFor(COUNTS[this.triggers] as number[]));
    this.triggers++;
    this.now = triggerTime(this.triggers);
    harness.aggregator.tick();
  }

  close(): void {
    this.#ingestor?.destroy();
  }
}
