/**
 * Which window the dashboard shows. The user's pick survives reconnects; until they pick, or when
 * the server stops offering their pick, the first window the server lists is shown.
 */
export class WindowChoice {
  #picked: string | undefined = $state();
  readonly #available: () => readonly string[];

  constructor(available: () => readonly string[]) {
    this.#available = available;
  }

  get current(): string | undefined {
    const windows = this.#available();
    return this.#picked !== undefined && windows.includes(this.#picked) ? this.#picked : windows[0];
  }

  pick(window: string): void {
    this.#picked = window;
  }
}
