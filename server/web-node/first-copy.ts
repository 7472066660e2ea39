/**
 * Which frames a web node passes on. Every replica sends a copy of every snapshot and hello; the
 * node serves the first copy of each epoch, from whichever replica is quickest, and ignores later
 * copies and anything older than what it serves. So the loss of a replica shows on no screen: the
 * other's copy of the next epoch is the first one then.
 *
 * Pure: no clock, no I/O; the node feeds it what arrives, in arrival order.
 */
import { isDeepStrictEqual } from "node:util";
import type { Hello } from "../../shared/messages.ts";

export type Verdict = "first" | "copy" | "stale";

/** Where a frame came from: a replica's name, or undefined for the store (KV) a node starts from. */
export type FrameOrigin = string | undefined;

export interface SnapshotOffer {
  readonly verdict: Verdict;
  /** A first copy from another replica than the previous first copy: the quickest replica changed. */
  readonly failover: boolean;
}

export class FirstSnapshotGate {
  #epoch: number | undefined;
  #origin: FrameOrigin;

  /** The epoch served now, undefined before the first snapshot. */
  get epoch(): number | undefined {
    return this.#epoch;
  }

  /** The replica whose copy is served now (undefined: read from the store). */
  get origin(): FrameOrigin {
    return this.#origin;
  }

  offer(epoch: number, origin: FrameOrigin): SnapshotOffer {
    if (this.#epoch !== undefined && epoch <= this.#epoch) {
      return { verdict: epoch === this.#epoch ? "copy" : "stale", failover: false };
    }
    const failover = this.#origin !== undefined && origin !== undefined && origin !== this.#origin;
    this.#epoch = epoch;
    this.#origin = origin;
    return { verdict: "first", failover };
  }
}

/**
 * Hellos carry the epoch they were sent at. A hello is new when it says something the served one
 * does not (a changed setting) and is not older than it; the same settings again (every replica
 * sends them, and sends them again after a restart) are a copy. When it started is each replica's
 * own and says nothing about the settings, so it is left out of the comparison.
 */
export class NewestHelloGate {
  #epoch = -1;
  #hello: Hello | undefined;

  get hello(): Hello | undefined {
    return this.#hello;
  }

  /** `epoch` undefined: from the store, older than any hello a replica sends. */
  offer(hello: Hello, epoch: number | undefined): Verdict {
    const at = epoch ?? -1;
    if (this.#hello !== undefined) {
      if (at < this.#epoch) return "stale";
      if (sameSettings(hello, this.#hello)) {
        this.#epoch = Math.max(this.#epoch, at);
        return "copy";
      }
    }
    this.#epoch = at;
    this.#hello = hello;
    return "first";
  }
}

function sameSettings(a: Hello, b: Hello): boolean {
  const { startedAt: _a, ...restA } = a;
  const { startedAt: _b, ...restB } = b;
  return isDeepStrictEqual(restA, restB);
}
