/**
 * Which window the dashboard shows. The user's pick survives reconnects; until they pick, or when
 * the server stops offering their pick, the screen's default is shown: the URL's `window` when the
 * server keeps it, else the first window the server lists.
 */
export class WindowChoice {
  #picked: string | undefined = $state();
  readonly #available: () => readonly string[];
  readonly #fallback: () => string | undefined;

  constructor(available: () => readonly string[], fallback: () => string | undefined) {
    this.#available = available;
    this.#fallback = fallback;
  }

  get current(): string | undefined {
    const windows = this.#available();
    if (this.#picked !== undefined && windows.includes(this.#picked)) return this.#picked;
    const fallback = this.#fallback();
    return fallback !== undefined && windows.includes(fallback) ? fallback : windows[0];
  }

  pick(window: string): void {
    this.#picked = window;
  }
}
