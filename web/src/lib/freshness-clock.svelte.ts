/**
 * The clock behind "updated 3 s ago" and the live / late / unfed / down indicator. It wakes exactly when
 * that text or colour can change (see `msUntilFreshnessChanges`), not on a fixed fast beat.
 */
import { freshnessOf, msUntilFreshnessChanges, type Freshness } from "./freshness.ts";
import type { SnapshotFeed } from "./snapshot-feed.svelte.ts";

export class FreshnessClock {
  now: number = $state(Date.now());
  readonly #feed: SnapshotFeed;

  /** Age of the shown snapshot by this browser's clock, or undefined before the first. */
  readonly ageMs: number | undefined = $derived.by(() => {
    const receivedAt = this.#feed.receivedAt;
    return receivedAt === undefined ? undefined : Math.max(0, this.now - receivedAt);
  });
  readonly level: Freshness = $derived.by(() =>
    freshnessOf(this.#feed.state, this.ageMs, this.#feed.triggerMs, this.#feed.ingestors),
  );

  constructor(feed: SnapshotFeed) {
    this.#feed = feed;
  }

  /** Keeps `now` current until the returned function is called: the body of one `$effect`. */
  run(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = (): void => {
      this.now = Date.now();
      const receivedAt = this.#feed.receivedAt;
      const delay = receivedAt === undefined ? 1000 : msUntilFreshnessChanges(Math.max(0, this.now - receivedAt), this.#feed.triggerMs);
      timer = setTimeout(step, delay);
    };
    step();
    return () => clearTimeout(timer);
  }
}
