/**
 * Capped exponential backoff with equal jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", 2015), for every reconnect: the ingestor's to Mastodon and to the aggregator, and the
 * dashboard's to the aggregator. The ceiling doubles with each failed attempt up to the cap; the
 * delay is uniform in [ceiling / 2, ceiling].
 *
 * Why equal jitter rather than full jitter ([0, ceiling]): the random half still spreads the
 * reconnects of every dashboard and ingestor that lost the same server over a window as wide as the
 * delay, so they do not come back in lockstep; the fixed half means an unlucky draw never retries
 * at once, so neither a browser tab nor the ingestor spins against a server that is down.
 */
export interface BackoffPolicy {
  /** The first attempt's ceiling, in ms. */
  readonly baseMs: number;
  /** The largest ceiling, in ms. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 30_000 };

/** The delay before retry number `attempt` (0 for the first); `random` draws uniformly in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

/** The retries of one connection: `next()` before each, `reset()` once it is up again. */
export class Backoff {
  readonly #policy: BackoffPolicy;
  readonly #random: () => number;
  #attempt = 0;

  constructor(policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random) {
    this.#policy = policy;
    this.#random = random;
  }

  /** The delay before the next attempt; each call doubles the ceiling up to the cap. */
  next(): number {
    return backoffDelay(this.#attempt++, this.#policy, this.#random);
  }

  /** Called once a connection opened, so the next outage starts from the short delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}

/**
 * Waits `ms` before the next attempt, or less if `signal` aborts: either way it resolves (never
 * rejects), so a loop that retries checks `signal.aborted` once afterwards instead of catching.
 */
export function waitBeforeRetry(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
