/**
 * Drives a simulated server with generated posts at a steady rate: the edge that owns the timer
 * and the clock, calling into the pure post generator. The rate drifts slowly around its mean
 * (a seven-minute swell) so a live chart of posts per second does not look machine-made.
 */
import { createPostGenerator, type PostGenerator } from "./post-generator.ts";
import type { SimulatedMastodon } from "./simulated-mastodon.ts";

export interface DemoTrafficOptions {
  /** Mean new posts per second. Default 20. */
  readonly postsPerSecond?: number;
  /** Seed of the default generator. Default 1. */
  readonly seed?: number;
  /** Replaces the default generator (seeded, for the server's domain). */
  readonly generator?: PostGenerator;
  /** Timer period. Default 100 ms. */
  readonly tickMs?: number;
  /** Relative amplitude of the slow swell of the rate. Default 0.2; 0 gives an exact rate. */
  readonly rateVariation?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

export interface DemoTraffic {
  /** New posts published so far (edits and deletions not counted). */
  posts(): number;
  stop(): void;
}

const SWELL_PERIOD_MS = 7 * 60_000;
/** After a stall (a suspended laptop), catch up at most this much instead of flooding. */
const MAX_BACKLOG_SECONDS = 5;

export function startDemoTraffic(
  server: Pick<SimulatedMastodon, "publish" | "domain">,
  options: DemoTrafficOptions = {},
): DemoTraffic {
  const postsPerSecond = options.postsPerSecond ?? 20;
  if (!(postsPerSecond >= 0)) throw new RangeError("postsPerSecond must be a non-negative number");
  const now = options.now ?? Date.now;
  const variation = options.rateVariation ?? 0.2;
  const generator = options.generator ?? createPostGenerator({ seed: options.seed ?? 1, host: server.domain });
  let last = now();
  let carry = 0;
  let posts = 0;

  const tick = (): void => {
    const current = now();
    const elapsedSeconds = Math.max(0, current - last) / 1000;
    last = current;
    const rate = postsPerSecond * (1 + variation * Math.sin((2 * Math.PI * current) / SWELL_PERIOD_MS));
    carry = Math.min(carry + rate * elapsedSeconds, postsPerSecond * MAX_BACKLOG_SECONDS);
    const due = Math.floor(carry + 1e-9);
    carry -= due;
    for (let index = 0; index < due; index += 1) {
      for (const event of generator.next(current)) server.publish(event);
    }
    posts += due;
  };

  const timer = setInterval(tick, options.tickMs ?? 100);
  return {
    posts: () => posts,
    stop: () => clearInterval(timer),
  };
}
