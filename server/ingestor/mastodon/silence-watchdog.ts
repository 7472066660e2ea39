/**
 * Fires when nothing has been heard for `timeoutMs`. Mastodon's streaming server pings every
 * client every 30 s (streaming/index.js), so a connection with neither an event nor a ping for
 * longer than that is dead even if TCP has not noticed: a half-open socket or a stuck server.
 */
export class SilenceWatchdog {
  readonly #timeoutMs: number;
  readonly #onSilence: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, onSilence: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#onSilence = onSilence;
  }

  /** (Re)starts the countdown: call on every sign of life. */
  heard(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#onSilence, this.#timeoutMs);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
