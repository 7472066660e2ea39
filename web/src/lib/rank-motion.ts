/**
 * How each tag moved since the previous ranking: up or down by so many places, or new in it.
 *
 * A movement stays shown for `holdMs` after it happened (and at least until the next ranking), so
 * at short trigger intervals an arrow stays up long enough to be read from across a room; a newer
 * move replaces it. A new `key` (another window or filter) starts afresh: nothing moved, nothing is
 * new. So does a ranking that follows an empty one, such as the first counts after a start.
 * Time is passed in; only the tags of the latest ranking are remembered.
 */
export type Movement =
  | { readonly kind: "same" }
  | { readonly kind: "new" }
  | { readonly kind: "up" | "down"; readonly places: number };

const SAME: Movement = Object.freeze({ kind: "same" });
const NEW: Movement = Object.freeze({ kind: "new" });

interface Held {
  readonly movement: Movement;
  readonly since: number;
}

export class RankMotion {
  readonly #holdMs: number;
  #key: string | undefined;
  #ranks = new Map<string, number>();
  #held = new Map<string, Held>();

  constructor(holdMs: number) {
    this.#holdMs = holdMs;
  }

  /** The movement of every tag in `tags` (best first) as of `now`. */
  next(key: string, tags: readonly string[], now: number): Map<string, Movement> {
    const compare = key === this.#key && this.#ranks.size > 0;
    const movements = new Map<string, Movement>();
    const held = new Map<string, Held>();
    tags.forEach((tag, index) => {
      const rank = index + 1;
      const before = this.#ranks.get(tag);
      let movement: Movement | undefined;
      if (compare && before === undefined) movement = NEW;
      else if (compare && before !== undefined && before !== rank) {
        movement = before > rank ? { kind: "up", places: before - rank } : { kind: "down", places: rank - before };
      }
      const previous = compare ? this.#held.get(tag) : undefined;
      const keep = movement !== undefined ? { movement, since: now } : previous !== undefined && now - previous.since < this.#holdMs ? previous : undefined;
      if (keep !== undefined) held.set(tag, keep);
      movements.set(tag, keep?.movement ?? SAME);
    });
    this.#key = key;
    this.#ranks = new Map(tags.map((tag, index) => [tag, index + 1]));
    this.#held = held;
    return movements;
  }
}
