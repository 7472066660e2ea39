/**
 * The aggregator's memory of posts, so that an edit or a deletion can take back what a post
 * counted. For every post line with an `id` (the post's `uri`) it keeps each tag with the epoch
 * it was counted in; `update` retracts the tags an edit removed from their epochs and counts the
 * added ones now, `delete` retracts them all.
 *
 * Post lines count exactly as they did before the ledger existed: a line whose `id` is already
 * held counts again (the ingestor never sends one; other writers may reuse ids), and what it
 * counted is added to that id, so a deletion takes back everything counted under it. Lines without
 * an `id` are not kept. A post's author (`acct`) is kept with it, so that an edit or a deletion takes
 * the author back from the tags' distinct accounts too.
 *
 * The memory is bounded (entries and age, see ExpiringMap): an edit or deletion of a post already
 * forgotten changes nothing and is counted as `unknown`. A checkpoint keeps it (`exportState`), so
 * that a deletion after a restart still takes back what the post counted before it.
 */
import { ExpiringMap, type ExpiringMapLimits } from "../../../shared/expiring-map.ts";
import type { PostMeta } from "../../../shared/line-protocol.ts";
import type { CountingEngine } from "../engine/counting-engine.ts";
import type { LanguageTops } from "../engine/language-tops.ts";

export interface PostLedgerStats {
  /** Posts remembered now. */
  readonly held: number;
  /** Post lines with an id already held: counted again, added to that id. */
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
  /** Each post's author, or null (absent in states saved before authors were kept). */
  readonly accts?: ReadonlyArray<string | null>;
  /** Each post's language, or null. */
  readonly langs?: ReadonlyArray<string | null>;
  readonly repeated: number;
  readonly edits: number;
  readonly deletes: number;
  readonly unknown: number;
}

interface HeldPost {
  /** Parallel arrays: each counted tag occurrence and the epoch it was counted in. */
  tags: string[];
  epochs: number[];
  /** The post's author, when its line carried one. */
  acct?: string | undefined;
  /** The post's language, when its line carried one (the per-language tops take edits and deletions back from it). */
  lang?: string | undefined;
}

export class PostLedger {
  readonly #engine: CountingEngine;
  readonly #posts: ExpiringMap<string, HeldPost>;
  readonly #clock: () => number;
  #repeated = 0;
  #edits = 0;
  #deletes = 0;
  #unknown = 0;

  readonly #languages: LanguageTops | undefined;

  constructor(engine: CountingEngine, limits: ExpiringMapLimits, clock: () => number, languages?: LanguageTops) {
    this.#engine = engine;
    this.#languages = languages;
    this.#posts = new ExpiringMap(limits);
    this.#clock = clock;
  }

  /** A new post: counts its tags now, and remembers them when it has an id. */
  post(tags: readonly string[], meta: PostMeta): void {
    const now = this.#clock();
    const epoch = this.#engine.ingestPost(tags, { acct: meta.acct, ts: meta.ts, arrival: now });
    this.#languages?.post(meta.lang, tags, epoch);
    if (meta.id === undefined) return;
    let held = this.#posts.get(meta.id, now);
    if (held === undefined) {
      held = { tags: [], epochs: [], acct: meta.acct, lang: meta.lang };
      this.#posts.set(meta.id, held, now);
    } else {
      this.#repeated++;
    }
    this.#add(held, tags, epoch);
  }

  /** An edit: the post's tags are now `tags`. Each occurrence is matched once (a multiset difference). */
  update(id: string, tags: readonly string[]): void {
    const held = this.#posts.get(id, this.#clock());
    if (held === undefined) {
      this.#unknown++;
      return;
    }
    const added = [...tags];
    const kept: HeldPost = { tags: [], epochs: [] };
    const removed: HeldPost = { tags: [], epochs: [], acct: held.acct, lang: held.lang };
    held.tags.forEach((tag, index) => {
      const match = added.indexOf(tag);
      const into = match === -1 ? removed : kept;
      if (match !== -1) added.splice(match, 1);
      into.tags.push(tag);
      into.epochs.push(held.epochs[index] as number);
    });
    this.#retract(removed);
    held.tags = kept.tags;
    held.epochs = kept.epochs;
    if (added.length > 0) {
      this.#engine.ingest(added);
      if (held.acct !== undefined) this.#engine.addAuthor(added, held.acct);
      this.#languages?.add(held.lang, added, this.#engine.openEpoch);
      this.#add(held, added);
    }
    this.#edits++;
  }

  /** A deletion: every occurrence goes back out of the windows that still hold it. */
  delete(id: string): void {
    const held = this.#posts.take(id, this.#clock());
    if (held === undefined) {
      this.#unknown++;
      return;
    }
    this.#retract(held);
    this.#deletes++;
  }

  get stats(): PostLedgerStats {
    return { held: this.#posts.size, repeated: this.#repeated, edits: this.#edits, deletes: this.#deletes, unknown: this.#unknown };
  }

  /** Everything the ledger holds, copied: later posts, edits and deletions leave it as it was. */
  exportState(): PostLedgerState {
    const entries = this.#posts.entries();
    const ids: string[] = [];
    const since = new Float64Array(entries.length);
    const lengths = new Uint32Array(entries.length);
    const tags: string[] = [];
    const epochs: number[] = [];
    const accts: Array<string | null> = [];
    const langs: Array<string | null> = [];
    entries.forEach(({ key, value, since: at }, index) => {
      ids.push(key);
      accts.push(value.acct ?? null);
      langs.push(value.lang ?? null);
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
      accts,
      langs,
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
      const value: HeldPost = {
        tags: state.tags.slice(offset, end),
        epochs: Array.from(state.epochs.subarray(offset, end)),
        acct: state.accts?.[index] ?? undefined,
        lang: state.langs?.[index] ?? undefined,
      };
      offset = end;
      return { key, value, since: state.since[index] as number };
    });
    this.#posts.load(entries);
    this.#repeated = state.repeated;
    this.#edits = state.edits;
    this.#deletes = state.deletes;
    this.#unknown = state.unknown;
  }

  /** Records `tags` as counted for `held` in interval `epoch` (the open one unless event time said otherwise). */
  #add(held: HeldPost, tags: readonly string[], epoch = this.#engine.openEpoch): void {
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
    for (const [epoch, tags] of byEpoch) {
      this.#engine.retract(tags, epoch, post.acct);
      this.#languages?.retract(post.lang, tags, epoch);
    }
  }
}
