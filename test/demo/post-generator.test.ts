/** The synthetic traffic: determinism and the statistical shape the demo promises. */
import { describe, expect, it } from "vitest";

import { BURST_TAG, SPAM_TAG } from "../../server/demo/demo-scenario.ts";
import { createPostGenerator } from "../../server/demo/post-generator.ts";
import type { StreamEvent } from "../../server/demo/stream-event.ts";

const START = Date.UTC(2025, 2, 1, 12);

/** 20 posts per second for `posts / 20` seconds of simulated time. */
function run(seed: number, posts: number, scenario = true): StreamEvent[] {
  const generator = createPostGenerator({ seed, host: "mastodon.example", ...(!scenario && { scenario: false as const }) });
  return Array.from({ length: posts }, (_, index) => generator.next(START + index * 50)).flat();
}

const updates = (events: readonly StreamEvent[]): StreamEvent[] => events.filter((event) => event.event === "update");

describe("createPostGenerator", () => {
  it("produces identical events for the same seed and times, different ones for another seed", () => {
    const first = JSON.stringify(run(7, 2_000));
    expect(JSON.stringify(run(7, 2_000))).toBe(first);
    expect(JSON.stringify(run(8, 2_000))).not.toBe(first);
  });

  it("tags about a quarter of ordinary posts with one to four distinct tags", () => {
    const posts = updates(run(1, 20_000, false));
    const tagged = posts.filter((event) => event.status.tags.length > 0);
    const counts = tagged.map((event) => event.status.tags.length);
    expect(tagged.length / posts.length).toBeGreaterThan(0.22);
    expect(tagged.length / posts.length).toBeLessThan(0.28);
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(4);
    expect(tagged.every((event) => new Set(event.status.tags.map((tag) => tag.name)).size === event.status.tags.length)).toBe(true);
  });

  it("stages a spam account repeating one tag, and a burst of one tag by many accounts from 2.5 minutes on", () => {
    // 20 posts a second for 10 minutes.
    const posts = updates(run(1, 12_000));
    const at = (event: StreamEvent): number => Date.parse(event.status.created_at);
    const spam = posts.filter((event) => event.status.tags.some((tag) => tag.name === SPAM_TAG));
    expect(new Set(spam.map((event) => event.status.account.acct))).toEqual(new Set(["best_deals_4u@spam.example"]));
    expect(spam.length / posts.length).toBeGreaterThan(0.05);
    expect(spam.length / posts.length).toBeLessThan(0.07);
    const burst = posts.filter((event) => event.status.tags.some((tag) => tag.name === BURST_TAG));
    // Remote posts are written up to 20 s before they arrive.
    expect(Math.min(...burst.map(at))).toBeGreaterThanOrEqual(START + 130_000);
    const held = burst.filter((event) => at(event) >= START + 210_000 && at(event) < START + 570_000);
    // Held at a tenth of all posts: 360 s × 20 posts/s × 0.1 ≈ 720, by most of the 400 ordinary accounts.
    expect(held.length).toBeGreaterThan(600);
    expect(held.length).toBeLessThan(850);
    expect(new Set(held.map((event) => event.status.account.acct)).size).toBeGreaterThan(300);
  });

  it("follows a Zipf-like popularity: rank 1 far ahead of rank 50", () => {
    const generator = createPostGenerator({ seed: 3, host: "mastodon.example" });
    const events = Array.from({ length: 40_000 }, (_, index) => generator.next(START + index * 50)).flat();
    const frequency = new Map<string, number>();
    for (const event of updates(events)) for (const tag of event.status.tags) frequency.set(tag.name, (frequency.get(tag.name) ?? 0) + 1);
    const rank1 = frequency.get(generator.vocabulary[0]?.name ?? "") ?? 0;
    const rank50 = frequency.get(generator.vocabulary[49]?.name ?? "") ?? 0;
    // 50^1.1 ≈ 74 without bursts; a burst on rank 50 could lift it, hence the margin.
    expect(rank1).toBeGreaterThan(20 * Math.max(rank50, 1));
    expect(generator.vocabulary[0]?.name).toBe("photography");
  });

  it("mixes languages, local and remote authors and bots", () => {
    const posts = updates(run(5, 10_000));
    const languages = new Set(posts.map((event) => event.status.language));
    const local = posts.filter((event) => !event.status.account.acct.includes("@")).length;
    const bots = posts.filter((event) => event.status.account.bot).length;
    for (const language of ["en", "de", "fr", "es", "ja"]) expect(languages).toContain(language);
    expect(local / posts.length).toBeGreaterThan(0.15);
    expect(local / posts.length).toBeLessThan(0.45);
    expect(bots / posts.length).toBeGreaterThan(0.04);
    expect(bots / posts.length).toBeLessThan(0.12);
  });

  it("edits and deletes only posts issued earlier and not yet deleted", () => {
    const events = run(11, 20_000);
    const issued = new Set<string>();
    const deleted = new Set<string>();
    let edits = 0;
    for (const event of events) {
      if (event.event === "update") {
        expect(issued.has(event.status.id)).toBe(false);
        issued.add(event.status.id);
        continue;
      }
      expect(issued.has(event.status.id)).toBe(true);
      expect(deleted.has(event.status.id)).toBe(false);
      if (event.event === "delete") deleted.add(event.status.id);
      else {
        edits += 1;
        expect(event.status.edited_at).not.toBeNull();
      }
    }
    expect(edits).toBeGreaterThan(200);
    expect(deleted.size).toBeGreaterThan(150);
  });

  it("renders every visible tag as a hashtag link in the content", () => {
    for (const event of updates(run(2, 3_000))) {
      const links = [...event.status.content.matchAll(/class="mention hashtag"[^>]*>#<span>([^<]+)<\/span>/g)].length;
      const remote = event.status.account.acct.includes("@");
      if (remote) expect(links).toBeLessThanOrEqual(event.status.tags.length);
      else expect(links).toBe(event.status.tags.length);
    }
  });
});
