/**
 * The generator's memory of posts it issued, so edits and deletions target real earlier posts
 * (never the one issued in the same step, never one already deleted) and authors can continue
 * their own threads. Bounded: very old posts are no longer edited or deleted.
 */
import type { PoolAccount } from "./account-pool.ts";
import type { SeededRandom } from "./seeded-random.ts";
import type { StatusDraft, TagDraft } from "./status-builder.ts";

export interface IssuedPost {
  readonly draft: StatusDraft;
  readonly tags: readonly TagDraft[];
  readonly author: PoolAccount;
}

export class RecentPosts {
  private readonly posts: IssuedPost[] = [];
  private readonly lastByAuthor = new Map<string, string>();

  constructor(private readonly limit: number) {}

  add(post: IssuedPost): void {
    this.posts.push(post);
    this.lastByAuthor.set(post.author.account.id, post.draft.id);
    if (this.posts.length > this.limit) this.posts.shift();
  }

  /** Any remembered post except the newest one, or undefined when there is none. */
  pickEarlier(random: SeededRandom): IssuedPost | undefined {
    if (this.posts.length < 2) return undefined;
    return this.posts[random.int(this.posts.length - 1)];
  }

  /** Any remembered post, for replies. */
  pickAny(random: SeededRandom): IssuedPost | undefined {
    return this.posts.length === 0 ? undefined : this.posts[random.int(this.posts.length)];
  }

  replace(previous: IssuedPost, next: IssuedPost): void {
    const index = this.posts.indexOf(previous);
    if (index >= 0) this.posts[index] = next;
  }

  remove(post: IssuedPost): void {
    const index = this.posts.indexOf(post);
    if (index >= 0) this.posts.splice(index, 1);
    if (this.lastByAuthor.get(post.author.account.id) === post.draft.id) this.lastByAuthor.delete(post.author.account.id);
  }

  lastIdOf(accountId: string): string | undefined {
    return this.lastByAuthor.get(accountId);
  }
}
