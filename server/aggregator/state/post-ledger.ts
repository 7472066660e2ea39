/**
 * The aggregator's memory of posts, so that an edit or a deletion can take back what a post
 * counted. For every post line with an `id` (the post's `uri`) it keeps each tag with the epoch
 * it was counted in; `update` retracts the tags an edit removed from their epochs and counts the
 * added ones now, `delete` retracts them all.
 *
 * A post line whose `id` is already held is that post again, never more of it: with the same tags
 * (as a multiset) it is a duplicate and counts nothing; with other tags it replaces them, as an edit
 * would. One id therefore never holds more than one line's tags. Lines without an `id` are not kept.
 * A post's author (`acct`) and language are kept with it, so that an edit or a deletion takes the
 * author back from the tags' distinct accounts, and the tags from the language's top, too.
 *
 * The memory is bounded (entries and age, see ExpiringMap, and estimated bytes, see `heldBytes`,
 * oldest posts forgotten first): an edit or deletion of a post already
 * forgotten changes nothing and is counted as `unknown`. A checkpoint keeps it (`exportState`), so
 * that a deletion after a restart still takes back what the post counted before it. Held posts are
 * never changed in place (a change holds a new one), so that a checkpoint being written while
 * counting goes on reads each post as it was at its instant (`capture`).
 */
import { ExpiringMap, type ExpiringMapLimits } from "../../../shared/expiring-map.ts";
import type { PostMeta } from "../../../shared/line-protocol.ts";
import { CapturedArray, CapturedStrings, type Capture, type Captured } from "../engine/captured-arrays.ts";
import type { CountingEngine } from "../engine/counting-engine.ts";
import type { LanguageTops } from "../engine/language-tops.ts";

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
  /** Each post's author, or "" for none (absent in states saved before authors were kept). */
  readonly accts?: readonly string[];
  /** Each post's language, or "" for none. */
  readonly langs?: readonly string[];
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

/** Never changed once held: a change holds a new one (a checkpoint being written may still read the old). */
interface HeldPost {
  /** Parallel arrays: each counted tag occurrence and the epoch it was counted in. */
  readonly tags: readonly string[];
  readonly epochs: readonly number[];
  /** The post's author, when its line carried one. */
  readonly acct?: string | undefined;
  /** The post's language, when its line carried one (the per-language tops take edits and deletions back from it). */
  readonly lang?: string | undefined;
}

/** A saved author or language: "" stands for none. */
const noneIfEmpty = (value: string | undefined): string | undefined => (value === "" ? undefined : value);

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

  readonly #languages: LanguageTops | undefined;

  constructor(engine: CountingEngine, limits: PostLedgerLimits, clock: () => number, languages?: LanguageTops) {
    this.#engine = engine;
    this.#languages = languages;
    this.#posts = new ExpiringMap(limits, (id, held) => (this.#bytes -= heldBytes(id, held.tags)));
    this.#clock = clock;
    this.#maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /** A post: counts its tags now and remembers them when it has an id; a held id is that post again. */
  post(tags: readonly string[], meta: PostMeta): void {
    const now = this.#clock();
    const held = meta.id === undefined ? undefined : this.#posts.get(meta.id, now);
    if (meta.id !== undefined && held !== undefined) {
      this.#repeated++;
      this.#replace(meta.id, held, tags);
      this.#trim();
      return;
    }
    const epoch = this.#engine.ingestPost(tags, { acct: meta.acct, ts: meta.ts, arrival: now });
    this.#languages?.post(meta.lang, tags, epoch);
    if (meta.id === undefined) return;
    const fresh: HeldPost = { tags: [...tags], epochs: tags.map(() => epoch), acct: meta.acct, lang: meta.lang };
    this.#posts.set(meta.id, fresh, now);
    this.#bytes += heldBytes(meta.id, fresh.tags);
    this.#trim();
  }

  /** An edit: the post's tags are now `tags`. Each occurrence is matched once (a multiset difference). */
  update(id: string, tags: readonly string[]): void {
    const held = this.#posts.get(id, this.#clock());
    if (held === undefined) {
      this.#unknown++;
      return;
    }
    this.#replace(id, held, tags);
    this.#edits++;
    this.#trim();
  }

  /** The held post's tags become `tags`: the removed ones are retracted, the added ones counted now. */
  #replace(id: string, held: HeldPost, tags: readonly string[]): void {
    const added = [...tags];
    const kept = { tags: [] as string[], epochs: [] as number[] };
    const removed: HeldPost & { tags: string[]; epochs: number[] } = { tags: [], epochs: [], acct: held.acct, lang: held.lang };
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
      if (held.acct !== undefined) this.#engine.addAuthor(added, held.acct);
      this.#languages?.add(held.lang, added, this.#engine.openEpoch);
    }
    const epoch = this.#engine.openEpoch;
    const replaced: HeldPost = { tags: [...kept.tags, ...added], epochs: [...kept.epochs, ...added.map(() => epoch)], acct: held.acct, lang: held.lang };
    this.#bytes += tagBytes(replaced.tags) - tagBytes(held.tags);
    this.#posts.set(id, replaced, this.#clock());
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
    const accts: string[] = [];
    const langs: string[] = [];
    entries.forEach(({ key, value, since: at }, index) => {
      ids.push(key);
      accts.push(value.acct ?? "");
      langs.push(value.lang ?? "");
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
   * `exportState` captured (see captured-arrays.ts), at no cost now: the posts are read later from
   * a snapshot of the memory (ExpiringMap.snapshot), which keeps for it any post changed or
   * forgotten before it was read. Held posts are never changed in place, so what it reads of one
   * is what the post was at the capture. Release it once written.
   */
  capture(): Capture<PostLedgerState> {
    const snapshot = this.#posts.snapshot();
    const count = snapshot.size;
    // Filled as the snapshot is read, oldest first; every part reads from here.
    const ids = new Array<string>(count);
    const held = new Array<HeldPost>(count);
    let filled = 0;
    const since = new Float64Array(count);
    const lengths = new Uint32Array(count);
    let total = 0;
    const readTo = (end: number): void => {
      for (; filled < end; filled++) {
        const entry = snapshot.next();
        if (entry === undefined) throw new Error(`post memory snapshot ended at ${filled} of ${count}`);
        since[filled] = entry.since;
        lengths[filled] = entry.value.tags.length;
        total += entry.value.tags.length;
        ids[filled] = entry.key;
        held[filled] = entry.value;
      }
    };
    // Tags and epochs are each read in order, from where the previous slice stopped.
    const flattened = <T>(list: (post: HeldPost) => readonly T[]): ((from: number, to: number, into: { [at: number]: T }) => void) => {
      let post = 0;
      let first = 0;
      return (from, to, into) => {
        readTo(count);
        for (let at = from; at < to; ) {
          const items = list(held[post] as HeldPost);
          const end = Math.min(first + items.length, to);
          for (; at < end; at++) into[at - from] = items[at - first] as T;
          if (at === first + items.length) {
            first += items.length;
            post++;
          }
        }
      };
    };
    const tagsAt = flattened((post) => post.tags);
    const epochsAt = flattened((post) => post.epochs);
    const totalTags = (): number => {
      readTo(count);
      return total;
    };
    const state: Captured<PostLedgerState> = {
      ids: new CapturedStrings(count, (from, to) => {
        readTo(to);
        return ids.slice(from, to);
      }),
      accts: new CapturedStrings(count, (from, to) => {
        readTo(to);
        return held.slice(from, to).map((post) => post.acct ?? "");
      }),
      langs: new CapturedStrings(count, (from, to) => {
        readTo(to);
        return held.slice(from, to).map((post) => post.lang ?? "");
      }),
      since: new CapturedArray("Float64Array", count, (from, to, into) => {
        readTo(to);
        into.set(since.subarray(from, to));
      }),
      lengths: new CapturedArray("Uint32Array", count, (from, to, into) => {
        readTo(to);
        into.set(lengths.subarray(from, to));
      }),
      tags: new CapturedStrings(totalTags, (from, to) => {
        const out = new Array<string>(to - from);
        tagsAt(from, to, out);
        return out;
      }),
      epochs: new CapturedArray("Float64Array", totalTags, (from, to, into) => epochsAt(from, to, into)),
      repeated: this.#repeated,
      edits: this.#edits,
      deletes: this.#deletes,
      unknown: this.#unknown,
    };
    return { state, release: () => snapshot.release() };
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
        acct: noneIfEmpty(state.accts?.[index]),
        lang: noneIfEmpty(state.langs?.[index]),
      };
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
