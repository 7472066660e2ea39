/**
 * Posts and hashtags per second, from the running totals that consecutive snapshots carry
 * (`stats.lines`, `stats.tags`) and their tick times (`at`).
 *
 * One trigger interval is a noisy base at short intervals, so the rate spans about the last
 * `spanMs` of snapshots (at least two of them). A snapshot seen twice (the one a reconnect sends
 * first) adds nothing; totals that go down mean the aggregator restarted, and counting starts over.
 */
export interface CounterSample {
  /** Tick time in ms. */
  readonly at: number;
  readonly lines: number;
  readonly tags: number;
}

export interface Rates {
  readonly postsPerSecond: number;
  readonly hashtagsPerSecond: number;
}

export class RateMeter {
  readonly #spanMs: number;
  readonly #samples: CounterSample[] = [];

  constructor(spanMs = 10_000) {
    this.#spanMs = spanMs;
  }

  add(sample: CounterSample): void {
    const last = this.#samples.at(-1);
    if (last !== undefined && sample.at === last.at) return;
    if (last !== undefined && (sample.at < last.at || sample.lines < last.lines || sample.tags < last.tags)) {
      this.#samples.length = 0;
    }
    this.#samples.push(sample);
    // Keep the newest sample that is at least a span old, as the base, and everything after it.
    while (this.#samples.length > 2 && (this.#samples[1] as CounterSample).at <= sample.at - this.#spanMs) {
      this.#samples.shift();
    }
  }

  get current(): Rates | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (first === undefined || last === undefined || last.at <= first.at) return undefined;
    const seconds = (last.at - first.at) / 1000;
    return { postsPerSecond: (last.lines - first.lines) / seconds, hashtagsPerSecond: (last.tags - first.tags) / seconds };
  }
}
