/**
 * Hides the pointer on a wall once it has been still for `idleMs`; any movement shows it again.
 * A kiosk's mouse otherwise parks in the middle of the ranking for days.
 */
export class IdleCursor {
  idle: boolean = $state(false);
  readonly #idleMs: number;

  constructor(idleMs = 3000) {
    this.#idleMs = idleMs;
  }

  /** Watches `target` for pointer movement until the returned function is called: one `$effect`. */
  watch(target: Window): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wake = (): void => {
      this.idle = false;
      clearTimeout(timer);
      timer = setTimeout(() => (this.idle = true), this.#idleMs);
    };
    wake();
    target.addEventListener("pointermove", wake, { passive: true });
    target.addEventListener("pointerdown", wake, { passive: true });
    return () => {
      clearTimeout(timer);
      target.removeEventListener("pointermove", wake);
      target.removeEventListener("pointerdown", wake);
    };
  }
}
