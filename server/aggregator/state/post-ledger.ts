/**
 * The aggregator's memory of posts, so that an edit or a deletion can take back what a post
 * counted. For every post line with an `id` (the post's `uri`) it keeps each tag with the epoch
 * it was counted in; `update` retracts the tags an edit removed from their epochs and counts the
 * added ones now, `delete` retracts them all.
 *
 * A post line whose `id` is already held is that post again, never more of it: with the same tags
 * (as a multiset) it is a duplicate and counts nothing; with other tags it replaces them, as an edit
 * would. One id therefore never holds more than one line's tags. Lines without an `id` are not kept.
 *
 * The memory is bounded (entries and age, see ExpiringMap, and estimated bytes, see `heldBytes`,
 * oldest posts forgotten first): an edit or deletion of a post already
 * forgotten changes nothing and is counted as `unknown`. A checkpoint keeps it (`exportState`), so
 * that a deletion after a restart still takes back what the post counted before it.
 */
import { ExpiringMap, type ExpiringMapLimits } from "../../../shared/expiring-map.ts";
import type { PostMeta } from "../../../shared/line-protocol.ts";
import type { CountingEngine } from "../engine/counting-engine.ts";

export interface PostLedgerStats {
  /** Posts remembered now. */
  readonly held: number;
  /** Post lines with an id already held: duplicates (nothing counted) or replacements of its tags. */
  readonly repeated: number;
  readonly edits: number;
  readonly deletes: number;
  /** Edits and deletions of posts not (or no longer) remembered. */
  readonly unknown: number;
}

/**
 * The ledger as plain data, oldest post first. Posts are laid out in columns rather than as one
 * object each: a hundred thousand held posts then serialise as a few arrays, not as 300,000 objects.
 */
export interface PostLedgerState {
  readonly ids: readonly string[];
  /** When each post was first seen (its age in the memory). */
  readonly since: Float64Array;
  /** How many entries of `tags` and `epochs` each post owns, in order. */
  readonly lengths: Uint32Array;
  readonly tags: readonly string[];
  readonly epochs: Float64Array;
  readonly repeated: number;
  readonly edits: number;
  readonly deletes: number;
  readonly unknown: number;
}

export interface PostLedgerLimits extends ExpiringMapLimits {
  /** Most estimated bytes held; beyond, the oldest posts are forgotten. Unbounded when absent. */
  readonly maxBytes?: number;
}

/**
 * Estimated heap bytes of one held post: its id and each tag as UTF-16 strings with their headers,
 * plus the array slots, the epoch and the map entry. An estimate that grows with what is held is
 * what a bound needs; V8 does not tell the exact figure.
 */
const POST_OVERHEAD_BYTES = 160;
const TAG_OVERHEAD_BYTES = 40;
const idBytes = (id: string): number => POST_OVERHEAD_BYTES + 2 * id.length;
const tagBytes = (tags: readonly string[]): number => {
  let bytes = 0;
  for (const tag of tags) bytes += TAG_OVERHEAD_BYTES + 2 * tag.length;
  return bytes;
};

/** The estimate of one post as the ledger holds it. */
export function heldBytes(id: string, tags: readonly string[]): number {
  return idBytes(id) + tagBytes(tags);
}

interface HeldPost {
  /** Parallel arrays: each counted tag occurrence and the epoch it was counted in. */
  tags: string[];
  epochs: number[];
}

export class PostLedger {
  readonly #engine: CountingEngine;
  readonly #posts: ExpiringMap<string, HeldPost>;
  readonly #clock: () => number;
  readonly #maxBytes: number;
  #bytes = 0;
  #repeated = 0;
  #edits = 0;
  #deletes = 0;
  #unknown = 0;

  constructor(engine: CountingEngine, limits: PostLedgerLimits, clock: () => number) {
    this.#engine = engine;
    this.#posts = new ExpiringMap(limits, (id, held) => (this.#bytes -= heldBytes(id, held.tags)));
    this.#clock = clock;
    this.#maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /** A post: counts its tags now and remembers them when it has an id; a held id is that post again. */
  post(tags: readonly string[], meta: PostMeta): void {
    if (meta.id === undefined) {
      this.#engine.ingest(tags);
      return;
    }
    const now = this.#clock();
    const held = this.#posts.get(meta.id, now);
    if (held !== undefined) {
      this.#repeated++;
      this.#replace(held, tags);
      this.#trim();
      return;
    }
    this.#engine.ingest(tags);
    const fresh: HeldPost = { tags: [], epochs: [] };
    this.#posts.set(meta.id, fresh, now);
    this.#bytes += idBytes(meta.id);
    this.#add(fresh, tags);
    this.#trim();
  }

  /** An edit: the post's tags are now `tags`. Each occurrence is matched once (a multiset difference). */
  update(id: string, tags: readonly string[]): void {
    const held = this.#posts.get(id, this.#clock());
    if (held === undefined) {
      this.#unknown++;
      return;
    }
    this.#replace(held, tags);
    this.#edits++;
    this.#trim();
  }

  /** The held post's tags become `tags`: the removed ones are retracted, the added ones counted now. */
  #replace(held: HeldPost, tags: readonly string[]): void {
    const added = [...tags];
    const kept: HeldPost = { tags: [], epochs: [] };
    const removed: HeldPost = { tags: [], epochs: [] };
    held.tags.forEach((tag, index) => {
      const match = added.indexOf(tag);
      const into = match === -1 ? removed : kept;
      if (match !== -1) added.splice(match, 1);
      into.tags.push(tag);
      into.epochs.push(held.epochs[index] as number);
    });
    this.#retract(removed);
    this.#bytes -= tagBytes(removed.tags);
    held.tags = kept.tags;
    held.epochs = kept.epochs;
    if (added.length > 0) {
      this.#engine.ingest(added);
      this.#add(held, added);
    }
  }

  /** Forgets the oldest posts while the estimate is over the bound. */
  #trim(): void {
    while (this.#bytes > this.#maxBytes && this.#posts.evictOldest());
  }

  /** A deletion: every occurrence goes back out of the windows that still hold it. */
  delete(id: string): void {
    const held = this.#posts.take(id, this.#clock());
    if (held === undefined) {
      this.#unknown++;
      return;
    }
    this.#bytes -= heldBytes(id, held.tags);
    this.#retract(held);
    this.#deletes++;
  }

  get stats(): PostLedgerStats {
    return { held: this.#posts.size, repeated: this.#repeated, edits: this.#edits, deletes: this.#deletes, unknown: this.#unknown };
  }

  /** Estimated heap bytes of what is held now (see `heldBytes`): what POST_MEMORY_BYTES bounds. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Everything the ledger holds, copied: later posts, edits and deletions leave it as it was. */
  exportState(): PostLedgerState {
    const entries = this.#posts.entries();
    const ids: string[] = [];
    const since = new Float64Array(entries.length);
    const lengths = new Uint32Array(entries.length);
    const tags: string[] = [];
    const epochs: number[] = [];
    entries.forEach(({ key, value, since: at }, index) => {
      ids.push(key);
      since[index] = at;
      lengths[index] = value.tags.length;
      for (const tag of value.tags) tags.push(tag);
      for (const epoch of value.epochs) epochs.push(epoch);
    });
    return {
      ids,
      since,
      lengths,
      tags,
      epochs: Float64Array.from(epochs),
      repeated: this.#repeated,
      edits: this.#edits,
      deletes: this.#deletes,
      unknown: this.#unknown,
    };
  }

  /**
   * Takes back an exported ledger into this empty one. Its epochs name intervals of the engine that
   * exported it, so the engine must have been restored from the same checkpoint.
   */
  load(state: PostLedgerState): void {
    let offset = 0;
    const entries = state.ids.map((key, index) => {
      const end = offset + (state.lengths[index] as number);
      const value: HeldPost = { tags: state.tags.slice(offset, end), epochs: Array.from(state.epochs.subarray(offset, end)) };
      offset = end;
      this.#bytes += heldBytes(key, value.tags);
      return { key, value, since: state.since[index] as number };
    });
    this.#posts.load(entries);
    this.#trim();
    this.#repeated = state.repeated;
    this.#edits = state.edits;
    this.#deletes = state.deletes;
    this.#unknown = state.unknown;
  }

  /** Records `tags` as counted for `held` in the open interval. */
  #add(held: HeldPost, tags: readonly string[]): void {
    const epoch = this.#engine.openEpoch;
    this.#bytes += tagBytes(tags);
    for (const tag of tags) {
      held.tags.push(tag);
      held.epochs.push(epoch);
    }
  }

  #retract(post: HeldPost): void {
    const byEpoch = new Map<number, string[]>();
    post.tags.forEach((tag, index) => {
      const epoch = post.epochs[index] as number;
      const tags = byEpoch.get(epoch);
      if (tags === undefined) byEpoch.set(epoch, [tag]);
      else tags.push(tag);
    });
    for (const [epoch, tags] of byEpoch) this.#engine.retract(tags, epoch);
  }
}
