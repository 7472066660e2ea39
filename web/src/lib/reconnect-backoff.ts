/**
 * Delays between reconnect attempts: capped exponential backoff with "equal jitter"
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 *
 * Jitter keeps every open dashboard from reconnecting in the same instant after the aggregator
 * restarts; keeping half of the delay fixed stops an unlucky draw from retrying in a tight loop.
 */
export interface BackoffOptions {
  /** Delay ceiling before the first retry, in ms. Default 500. */
  readonly initialMs?: number;
  /** Ceiling that the exponential growth never passes, in ms. Default 10 000. */
  readonly maxMs?: number;
  /** Uniform draw in [0, 1); injected so tests can script it. Default `Math.random`. */
  readonly random?: () => number;
}

export class ReconnectBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor({ initialMs = 500, maxMs = 10_000, random = Math.random }: BackoffOptions = {}) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#random = random;
  }

  /** The delay before the next attempt; each call doubles the ceiling up to `maxMs`. */
  next(): number {
    const ceiling = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    this.#attempt++;
    const half = ceiling / 2;
    return Math.round(half + this.#random() * half);
  }

  /** Called once a connection opened, so the next outage starts from the short delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}
