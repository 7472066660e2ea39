/**
 * Fans a published event out to the sockets whose subscriptions match it, counting what happens.
 * One JSON payload is rendered per event and shared by all recipients, as Mastodon publishes one
 * Redis message per channel.
 */
import { channelsForStatus } from "./stream-channels.ts";
import { eventPayload, type StreamEvent } from "./stream-event.ts";
import type { StreamingSession } from "./streaming-session.ts";

export interface StreamingStats {
  readonly published: number;
  readonly framesSent: number;
  readonly droppedWhileSilent: number;
}

/** How long each kind of status event is held back before it goes out. */
export interface EventDelays {
  readonly updateMs: number;
  readonly statusUpdateMs: number;
}

export class EventFanout {
  private readonly pending = new Set<NodeJS.Timeout>();
  private counters = { published: 0, framesSent: 0, droppedWhileSilent: 0 };

  constructor(
    private readonly sessions: ReadonlySet<StreamingSession>,
    private readonly isSilent: () => boolean,
    /** Holds `update` and `status.update` back, each by its own delay, while `delete` goes out at once. */
    private readonly delays: EventDelays,
  ) {}

  /** Returns how many subscriptions the event matched when published (0 while silent). */
  publish(event: StreamEvent): number {
    this.counters.published += 1;
    if (this.isSilent()) {
      this.counters.droppedWhileSilent += 1;
      return 0;
    }
    const keys = new Set(channelsForStatus(event.status));
    let matched = 0;
    for (const session of this.sessions) matched += session.matching(keys, event.event, event.status.language);
    const delayMs = event.event === "update" ? this.delays.updateMs : event.event === "status.update" ? this.delays.statusUpdateMs : 0;
    if (delayMs <= 0) {
      this.deliver(keys, event);
      return matched;
    }
    // Mastodon checks blocks and filters for `update` and `status.update` asynchronously, each
    // event in its own query, but passes deletes straight through: a delete can overtake its
    // update, and an edit its post, on the wire.
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      this.deliver(keys, event);
    }, delayMs);
    this.pending.add(timer);
    return matched;
  }

  /** Forgets held-back updates, as a crashing server would. */
  cancelPending(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  stats(): StreamingStats {
    return { ...this.counters };
  }

  private deliver(keys: ReadonlySet<string>, event: StreamEvent): void {
    if (this.isSilent()) return;
    const payload = eventPayload(event);
    for (const session of this.sessions) {
      this.counters.framesSent += session.deliver(keys, event.event, payload, event.status.language);
    }
  }
}
