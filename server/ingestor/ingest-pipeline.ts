/**
 * The one path every Mastodon event takes, live or replayed: check the payload, apply the filters,
 * let the tracker de-duplicate and resolve edits and deletions, write the result, count it all.
 * Time is passed in (the arrival time live, the recorded time in a replay), so a replay remembers
 * and forgets posts exactly as the live run did.
 */
import type { mastodon } from "masto";
import type { IngestStats } from "./ingest-stats.ts";
import type { PostFilter } from "./posts/post-filter.ts";
import type { PostWriter } from "./output/post-line-writer.ts";
import type { PostTracker, TrackerOutcome } from "./posts/post-tracker.ts";
import { statusFacts } from "./posts/status-facts.ts";

export class IngestPipeline {
  readonly #tracker: PostTracker;
  readonly #filter: PostFilter;
  readonly #writer: PostWriter;
  readonly #stats: IngestStats;

  constructor(tracker: PostTracker, filter: PostFilter, writer: PostWriter, stats: IngestStats) {
    this.#tracker = tracker;
    this.#filter = filter;
    this.#writer = writer;
    this.#stats = stats;
  }

  /** `instance` names the server the event came through (its domain). */
  handle(instance: string, event: mastodon.streaming.Event, now: number): void {
    const stats = this.#stats;
    switch (event.event) {
      case "update":
      case "status.update": {
        if (event.event === "update") stats.statuses++;
        else stats.edits++;
        const post = statusFacts(event.payload, instance);
        if (post === undefined) {
          stats.malformed++;
          return;
        }
        const reason = this.#filter(post);
        const passes = reason === undefined;
        const outcome =
          event.event === "update" ? this.#tracker.update(instance, post, passes, now) : this.#tracker.edit(instance, post, passes, now);
        this.#apply(outcome, reason);
        return;
      }
      case "delete":
        stats.deletes++;
        if (typeof event.payload !== "string") stats.malformed++;
        else this.#apply(this.#tracker.delete(instance, event.payload, now), undefined);
        return;
      default:
        // The public and hashtag streams carry nothing else; other streams are not followed.
        return;
    }
  }

  #apply(outcome: TrackerOutcome, reason: ReturnType<PostFilter>): void {
    switch (outcome.kind) {
      case "post":
        this.#stats.forwarded++;
        this.#stats.tags += outcome.post.tags.length;
        this.#writer.post(outcome.post);
        return;
      case "update":
        this.#writer.update(outcome.uri, outcome.tags);
        return;
      case "delete":
        this.#writer.delete(outcome.uri);
        return;
      case "skip":
        this.#stats.skip(outcome.reason, reason);
        return;
    }
  }
}
