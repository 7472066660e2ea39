/**
 * What the ingestor remembers about posts, across every server it follows, to turn Mastodon's
 * events into the line protocol's post, update and delete lines. Pure: time is passed in.
 *
 * - A post is known by its `uri`; the second copy of a post (through another server, or twice on
 *   one) is a duplicate and is dropped.
 * - `delete` carries the id of the post on that server only, so each server's local ids are mapped
 *   to `uri`s. A `delete` whose id is not mapped yet is kept as a tombstone: it may have overtaken
 *   its `update` (https://docs.joinmastodon.org/methods/streaming/ lists no ordering guarantee), and
 *   if that update arrives it is not counted. A deletion removes the post everywhere.
 * - A post counts with the tags of its latest version that passes the filters; a version that does
 *   not counts with none.
 * - An edit of a post not seen yet is remembered briefly (EARLY_EDIT_MEMORY_MS): Mastodon's streaming
 *   server runs each `update` and `status.update` through its own asynchronous query, so an edit
 *   can overtake its post as a delete can. When the post arrives, it counts as edited. An edit of a
 *   post from before the stream is then simply forgotten, changing nothing.
 *
 * All four memories are bounded in entries and age (ExpiringMap).
 */
import { ExpiringMap, type ExpiringMapLimits } from "../../../shared/expiring-map.ts";
import type { PostFacts } from "./status-facts.ts";

export type SkipReason =
  /** A copy of a post already handled. */
  | "duplicate"
  /** An update or edit of a post already deleted. */
  | "deleted"
  /** The post does not pass the filters. */
  | "filtered"
  /** An edit of a post not seen (remembered briefly, in case the post comes late), or no longer remembered. */
  | "unseen"
  /** An edit that leaves the post's counted tags as they were. */
  | "unchanged"
  /** A deletion of a post not seen (yet): remembered in case its update comes late. */
  | "unknown";

export type TrackerOutcome =
  | { readonly kind: "post"; readonly post: PostFacts }
  | { readonly kind: "update"; readonly uri: string; readonly tags: readonly string[] }
  | { readonly kind: "delete"; readonly uri: string }
  | { readonly kind: "skip"; readonly reason: SkipReason };

interface KnownPost {
  /** The tags counted for it now ([] while filtered). */
  tags: readonly string[];
  /** Whether the aggregator has been told of it. */
  sent: boolean;
  deleted: boolean;
}

/**
 * How long an edit waits for its post. The reordering comes from a few queries racing, so it is
 * milliseconds; the margin covers a server under load without keeping edits of old posts for long.
 */
export const EARLY_EDIT_MEMORY_MS = 60_000;

interface EarlyEdit {
  readonly post: PostFacts;
  readonly passes: boolean;
}

const skip = (reason: SkipReason): TrackerOutcome => ({ kind: "skip", reason });
const localKey = (instance: string, localId: string): string => `${instance}\n${localId}`;

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag) => b.includes(tag));
}

export class PostTracker {
  readonly #posts: ExpiringMap<string, KnownPost>;
  readonly #uris: ExpiringMap<string, string>;
  readonly #tombstones: ExpiringMap<string, true>;
  /** Edits that arrived before their post, by `uri`: the latest one of each. */
  readonly #earlyEdits: ExpiringMap<string, EarlyEdit>;

  constructor(limits: ExpiringMapLimits) {
    this.#posts = new ExpiringMap(limits);
    this.#uris = new ExpiringMap(limits);
    this.#tombstones = new ExpiringMap(limits);
    this.#earlyEdits = new ExpiringMap({ maxEntries: limits.maxEntries, maxAgeMs: Math.min(limits.maxAgeMs, EARLY_EDIT_MEMORY_MS) });
  }

  /** An `update` event: a new post on that server. */
  update(instance: string, post: PostFacts, passes: boolean, now: number): TrackerOutcome {
    const known = this.#remember(instance, post, now);
    if (this.#tombstones.take(localKey(instance, post.localId), now) !== undefined) return this.#markDeleted(post.uri, known, now);
    if (known !== undefined) return skip(known.deleted ? "deleted" : "duplicate");
    // An edit that overtook this post is its latest version: the post counts as edited.
    const latest = this.#earlyEdits.take(post.uri, now) ?? { post, passes };
    this.#posts.set(post.uri, { tags: latest.passes ? latest.post.tags : [], sent: latest.passes, deleted: false }, now);
    return latest.passes ? { kind: "post", post: latest.post } : skip("filtered");
  }

  /** A `status.update` event: the post as it is after an edit. */
  edit(instance: string, post: PostFacts, passes: boolean, now: number): TrackerOutcome {
    const known = this.#remember(instance, post, now);
    if (this.#tombstones.take(localKey(instance, post.localId), now) !== undefined) return this.#markDeleted(post.uri, known, now);
    if (known === undefined) {
      this.#earlyEdits.set(post.uri, { post, passes }, now);
      return skip("unseen");
    }
    if (known.deleted) return skip("deleted");
    if (!known.sent) {
      // Filtered when it arrived: it counts from the first version that passes.
      if (!passes) return skip("filtered");
      known.tags = post.tags;
      known.sent = true;
      return { kind: "post", post };
    }
    const tags = passes ? post.tags : [];
    if (sameTags(known.tags, tags)) return skip("unchanged");
    known.tags = tags;
    return { kind: "update", uri: post.uri, tags };
  }

  /** A `delete` event: `localId` is the post's id on that server. */
  delete(instance: string, localId: string, now: number): TrackerOutcome {
    const key = localKey(instance, localId);
    const uri = this.#uris.get(key, now);
    if (uri === undefined) {
      this.#tombstones.set(key, true, now);
      return skip("unknown");
    }
    return this.#markDeleted(uri, this.#posts.get(uri, now), now);
  }

  /** How much is remembered now. */
  get sizes(): { readonly posts: number; readonly localIds: number; readonly tombstones: number; readonly earlyEdits: number } {
    return { posts: this.#posts.size, localIds: this.#uris.size, tombstones: this.#tombstones.size, earlyEdits: this.#earlyEdits.size };
  }

  #remember(instance: string, post: PostFacts, now: number): KnownPost | undefined {
    this.#uris.set(localKey(instance, post.localId), post.uri, now);
    return this.#posts.get(post.uri, now);
  }

  #markDeleted(uri: string, known: KnownPost | undefined, now: number): TrackerOutcome {
    if (known === undefined) {
      this.#posts.set(uri, { tags: [], sent: false, deleted: true }, now);
      return skip("deleted");
    }
    if (known.deleted) return skip("duplicate");
    known.deleted = true;
    known.tags = [];
    return known.sent ? { kind: "delete", uri } : skip("deleted");
  }
}
