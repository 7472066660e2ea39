/**
 * The aggregator's memory of posts, so that an edit or a deletion can take back what a post
 * counted. For every post line with an `id` (the post's `uri`) it keeps each tag with the epoch
 * it was counted in; `update` retracts the tags an edit removed from their epochs and counts the
 * added ones now, `delete` retracts them all. A post line whose `id` is still remembered is a
 * duplicate and is not counted again. Lines without an `id` count as before and are not kept.
 *
 * The memory is bounded (entries and age, see ExpiringMap): an edit or deletion of a post already
 * forgotten changes nothing and is counted as `unknown`.
 */
import { ExpiringMap, type ExpiringMapLimits } from "../../shared/expiring-map.ts";
import type { PostMeta } from "../../shared/line-protocol.ts";
import type { CountingEngine } from "./counting-engine.ts";

export interface PostLedgerStats {
  /** Posts remembered now (deleted ones included, until they are forgotten). */
  readonly held: number;
  readonly duplicates: number;
  readonly edits: number;
  readonly deletes: number;
  /** Edits and deletions of posts not (or no longer) remembered. */
  readonly unknown: number;
}

interface HeldPost {
  /** Parallel arrays: each counted tag occurrence and the epoch it was counted in. */
  tags: string[];
  epochs: number[];
  deleted: boolean;
}

export class PostLedger {
  readonly #engine: CountingEngine;
  readonly #posts: ExpiringMap<string, HeldPost>;
  readonly #clock: () => number;
  #duplicates = 0;
  #edits = 0;
  #deletes = 0;
  #unknown = 0;

  constructor(engine: CountingEngine, limits: ExpiringMapLimits, clock: () => number) {
    this.#engine = engine;
    this.#posts = new ExpiringMap(limits);
    this.#clock = clock;
  }

  /** A new post: counts its tags now, and remembers them when it has an id. */
  post(tags: readonly string[], meta: PostMeta): void {
    const id = meta.id;
    if (id === undefined) {
      this.#engine.ingest(tags);
      return;
    }
    const now = this.#clock();
    if (this.#posts.has(id, now)) {
      this.#duplicates++;
      return;
    }
    this.#engine.ingest(tags);
    const epoch = this.#engine.openEpoch;
    this.#posts.set(id, { tags: [...tags], epochs: tags.map(() => epoch), deleted: false }, now);
  }

  /** An edit: the post's tags are now `tags`. Each occurrence is matched once (a multiset difference). */
  update(id: string, tags: readonly string[]): void {
    const held = this.#posts.get(id, this.#clock());
    if (held === undefined || held.deleted) {
      this.#unknown++;
      return;
    }
    const added = [...tags];
    const kept: HeldPost = { tags: [], epochs: [], deleted: false };
    const removed: HeldPost = { tags: [], epochs: [], deleted: false };
    held.tags.forEach((tag, index) => {
      const match = added.indexOf(tag);
      const into = match === -1 ? removed : kept;
      if (match !== -1) added.splice(match, 1);
      into.tags.push(tag);
      into.epochs.push(held.epochs[index] as number);
    });
    this.#retract(removed);
    if (added.length > 0) {
      this.#engine.ingest(added);
      const epoch = this.#engine.openEpoch;
      for (const tag of added) {
        kept.tags.push(tag);
        kept.epochs.push(epoch);
      }
    }
    held.tags = kept.tags;
    held.epochs = kept.epochs;
    this.#edits++;
  }

  /** A deletion: every occurrence goes back out of the windows that still hold it. */
  delete(id: string): void {
    const held = this.#posts.get(id, this.#clock());
    if (held === undefined) {
      this.#unknown++;
      return;
    }
    if (held.deleted) {
      this.#duplicates++;
      return;
    }
    this.#retract(held);
    // Kept as a tombstone, so that a late copy of the post is not counted again.
    held.tags = [];
    held.epochs = [];
    held.deleted = true;
    this.#deletes++;
  }

  get stats(): PostLedgerStats {
    return { held: this.#posts.size, duplicates: this.#duplicates, edits: this.#edits, deletes: this.#deletes, unknown: this.#unknown };
  }

  #retract(post: Pick<HeldPost, "tags" | "epochs">): void {
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
