import { describe, expect, it } from "vitest";
import { EARLY_EDIT_MEMORY_MS, PostTracker } from "../../../server/ingestor/posts/post-tracker.ts";
import type { PostFacts } from "../../../server/ingestor/posts/status-facts.ts";

const LIMITS = { maxEntries: 1000, maxAgeMs: 60_000 };

function post(localId: string, uri: string, tags: string[]): PostFacts {
  return { localId, uri, tags, createdAt: 0, language: "en", acct: "a@x.example", domain: "x.example", sensitive: false, bot: false };
}

const A = "a.example";
const B = "b.example";
const URI = "https://x.example/users/a/statuses/1";

describe("PostTracker: duplicates", () => {
  it("forwards the first copy of a post and drops the others, from any server", () => {
    const tracker = new PostTracker(LIMITS);
    expect(tracker.update(A, post("10", URI, ["rust"]), true, 0)).toEqual({ kind: "post", post: post("10", URI, ["rust"]) });
    expect(tracker.update(B, post("77", URI, ["rust"]), true, 1)).toEqual({ kind: "skip", reason: "duplicate" });
    expect(tracker.update(A, post("10", URI, ["rust"]), true, 2)).toEqual({ kind: "skip", reason: "duplicate" });
  });

  it("remembers for a limited time only", () => {
    const tracker = new PostTracker({ maxEntries: 1000, maxAgeMs: 100 });
    tracker.update(A, post("10", URI, ["rust"]), true, 0);
    expect(tracker.update(B, post("77", URI, ["rust"]), true, 100)).toMatchObject({ kind: "post" });
  });
});

describe("PostTracker: edits", () => {
  it("turns an edit into the post's new tags, once whatever the number of servers", () => {
    const tracker = new PostTracker(LIMITS);
    tracker.update(A, post("10", URI, ["a", "b"]), true, 0);
    tracker.update(B, post("77", URI, ["a", "b"]), true, 0);
    expect(tracker.edit(A, post("10", URI, ["b", "c"]), true, 1)).toEqual({ kind: "update", uri: URI, tags: ["b", "c"] });
    expect(tracker.edit(B, post("77", URI, ["b", "c"]), true, 2)).toEqual({ kind: "skip", reason: "unchanged" });
    expect(tracker.edit(A, post("10", URI, ["c", "b"]), true, 3)).toEqual({ kind: "skip", reason: "unchanged" });
  });

  it("ignores edits of posts it never saw", () => {
    const tracker = new PostTracker(LIMITS);
    expect(tracker.edit(A, post("10", URI, ["a"]), true, 0)).toEqual({ kind: "skip", reason: "unseen" });
  });

  it("counts a post whose edit overtook it with the edited tags, from any server", () => {
    const tracker = new PostTracker(LIMITS);
    expect(tracker.edit(B, post("77", URI, ["a"]), true, 0)).toEqual({ kind: "skip", reason: "unseen" });
    expect(tracker.edit(A, post("10", URI, ["a", "b"]), true, 1)).toEqual({ kind: "skip", reason: "unseen" });
    expect(tracker.sizes.earlyEdits).toBe(1);
    // The latest edit is the post's version: its tags count, and the edit is not applied again.
    expect(tracker.update(A, post("10", URI, ["old"]), true, 2)).toEqual({ kind: "post", post: post("10", URI, ["a", "b"]) });
    expect(tracker.update(B, post("77", URI, ["old"]), true, 3)).toEqual({ kind: "skip", reason: "duplicate" });
    expect(tracker.edit(A, post("10", URI, ["b", "a"]), true, 4)).toEqual({ kind: "skip", reason: "unchanged" });
    expect(tracker.sizes.earlyEdits).toBe(0);
  });

  it("leaves a post out when its early edit does not pass the filters, and forgets early edits after a minute", () => {
    const tracker = new PostTracker({ maxEntries: 1000, maxAgeMs: 3_600_000 });
    tracker.edit(A, post("10", URI, ["nsfw"]), false, 0);
    expect(tracker.update(A, post("10", URI, ["art"]), true, 1)).toEqual({ kind: "skip", reason: "filtered" });
    const other = "https://x.example/users/a/statuses/2";
    tracker.edit(A, post("11", other, ["late"]), true, 0);
    expect(tracker.update(A, post("11", other, ["first"]), true, EARLY_EDIT_MEMORY_MS)).toEqual({ kind: "post", post: post("11", other, ["first"]) });
  });

  it("counts a post with no tags while its version does not pass the filters", () => {
    const tracker = new PostTracker(LIMITS);
    tracker.update(A, post("10", URI, ["a"]), true, 0);
    expect(tracker.edit(A, post("10", URI, ["a", "nsfw"]), false, 1)).toEqual({ kind: "update", uri: URI, tags: [] });
    expect(tracker.edit(A, post("10", URI, ["a"]), true, 2)).toEqual({ kind: "update", uri: URI, tags: ["a"] });
  });

  it("forwards a post filtered on arrival from its first version that passes", () => {
    const tracker = new PostTracker(LIMITS);
    expect(tracker.update(A, post("10", URI, ["nsfw"]), false, 0)).toEqual({ kind: "skip", reason: "filtered" });
    expect(tracker.edit(A, post("10", URI, ["nsfw", "x"]), false, 1)).toEqual({ kind: "skip", reason: "filtered" });
    expect(tracker.edit(A, post("10", URI, ["art"]), true, 2)).toEqual({ kind: "post", post: post("10", URI, ["art"]) });
  });
});

describe("PostTracker: deletes", () => {
  it("maps a server's local id to the post and deletes it once", () => {
    const tracker = new PostTracker(LIMITS);
    tracker.update(A, post("10", URI, ["a"]), true, 0);
    tracker.update(B, post("77", URI, ["a"]), true, 0);
    expect(tracker.delete(B, "10", 1)).toEqual({ kind: "skip", reason: "unknown" });
    expect(tracker.delete(B, "77", 1)).toEqual({ kind: "delete", uri: URI });
    expect(tracker.delete(A, "10", 2)).toEqual({ kind: "skip", reason: "duplicate" });
    expect(tracker.edit(A, post("10", URI, ["b"]), true, 3)).toEqual({ kind: "skip", reason: "deleted" });
  });

  it("does not count an update whose delete overtook it, nor its copies from other servers", () => {
    const tracker = new PostTracker(LIMITS);
    expect(tracker.delete(A, "10", 0)).toEqual({ kind: "skip", reason: "unknown" });
    expect(tracker.update(A, post("10", URI, ["a"]), true, 1)).toEqual({ kind: "skip", reason: "deleted" });
    expect(tracker.update(B, post("77", URI, ["a"]), true, 2)).toEqual({ kind: "skip", reason: "deleted" });
    expect(tracker.sizes).toEqual({ posts: 1, localIds: 2, tombstones: 0, earlyEdits: 0 });
  });

  it("deletes a post another server already delivered when this server's delete overtook its update", () => {
    const tracker = new PostTracker(LIMITS);
    tracker.update(B, post("77", URI, ["a"]), true, 0);
    expect(tracker.delete(A, "10", 1)).toEqual({ kind: "skip", reason: "unknown" });
    expect(tracker.update(A, post("10", URI, ["a"]), true, 2)).toEqual({ kind: "delete", uri: URI });
  });

  it("tells nobody of the deletion of a post that was never forwarded", () => {
    const tracker = new PostTracker(LIMITS);
    tracker.update(A, post("10", URI, ["nsfw"]), false, 0);
    expect(tracker.delete(A, "10", 1)).toEqual({ kind: "skip", reason: "deleted" });
  });

  it("keeps local ids apart between servers", () => {
    const tracker = new PostTracker(LIMITS);
    tracker.update(A, post("10", URI, ["a"]), true, 0);
    tracker.update(B, post("10", "https://y.example/2", ["b"]), true, 0);
    expect(tracker.delete(B, "10", 1)).toEqual({ kind: "delete", uri: "https://y.example/2" });
  });

  it("forgets tombstones with age", () => {
    const tracker = new PostTracker({ maxEntries: 1000, maxAgeMs: 100 });
    tracker.delete(A, "10", 0);
    expect(tracker.update(A, post("10", URI, ["a"]), true, 150)).toMatchObject({ kind: "post" });
  });
});
