/**
 * Whether checkpoints are being written: what `GET /healthz` reports. One failed write makes the
 * state "failing" (the counts since the last checkpoint would not survive a crash); the next
 * successful write makes it "ok" again.
 */

export type CheckpointStatus =
  | { readonly state: "ok"; readonly lastWrittenAt: string | undefined }
  | {
      readonly state: "failing";
      /** Why the last write failed. */
      readonly reason: string;
      /** When the first of the failures in a row happened. */
      readonly failingSince: string;
      readonly consecutiveFailures: number;
      /** The checkpoint still on disk (written or restored); undefined when there is none. */
      readonly lastWrittenAt: string | undefined;
    };

export class CheckpointHealth {
  #lastWrittenAt: number | undefined;
  #failure: { reason: string; since: number; count: number } | undefined;

  /** `at` is when the state on disk was captured (a restored checkpoint's `savedAt` too). */
  written(at: number): void {
    this.#lastWrittenAt = at;
    this.#failure = undefined;
  }

  failed(error: unknown, at: number): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.#failure = { reason, since: this.#failure?.since ?? at, count: (this.#failure?.count ?? 0) + 1 };
  }

  status(): CheckpointStatus {
    const lastWrittenAt = this.#lastWrittenAt === undefined ? undefined : new Date(this.#lastWrittenAt).toISOString();
    if (this.#failure === undefined) return { state: "ok", lastWrittenAt };
    return {
      state: "failing",
      reason: this.#failure.reason,
      failingSince: new Date(this.#failure.since).toISOString(),
      consecutiveFailures: this.#failure.count,
      lastWrittenAt,
    };
  }
}
