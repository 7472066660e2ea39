/**
 * Counts that arrive between two triggers. The open bucket takes every line; at a trigger it is
 * closed into a compact, immutable list of (id, delta) pairs that every window folds in, and that
 * sliding windows keep so that they can subtract it again when it leaves the window. The cost of a
 * trigger is therefore proportional to the distinct tags of one trigger interval, never to the
 * total history.
 */
import { CountArray } from "./count-array.ts";

export interface ClosedBucket {
  /** The epoch of the trigger that closed this bucket. */
  readonly epoch: number;
  /** Engine time (ms) of the trigger that closed this bucket. */
  readonly closedAt: number;
  readonly ids: Uint32Array;
  /** Mutable only by retraction (a deleted post), so that expiry subtracts what is really held. */
  readonly deltas: Float64Array;
}

export class OpenBucket {
  readonly #deltas = new CountArray();
  /** Generation stamp per id: an id is listed once per bucket even if its delta returns to 0. */
  readonly #stamp = new CountArray();
  #generation = 1;
  #touched: number[] = [];

  add(id: number, delta: number): void {
    if (this.#stamp.get(id) !== this.#generation) {
      this.#stamp.add(id, this.#generation - this.#stamp.get(id));
      this.#touched.push(id);
    }
    this.#deltas.add(id, delta);
  }

  get isEmpty(): boolean {
    return this.#touched.length === 0;
  }

  /** Closes the bucket at `closedAt` and leaves this one empty for the next interval. */
  close(epoch: number, closedAt: number): ClosedBucket {
    const touched = this.#touched;
    const ids = new Uint32Array(touched.length);
    const deltas = new Float64Array(touched.length);
    for (let i = 0; i < touched.length; i++) {
      const id = touched[i] as number;
      const delta = this.#deltas.get(id);
      ids[i] = id;
      deltas[i] = delta;
      this.#deltas.add(id, -delta);
    }
    this.#touched = [];
    this.#generation++;
    return { epoch, closedAt, ids, deltas };
  }
}
