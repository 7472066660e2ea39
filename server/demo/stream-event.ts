/**
 * What the simulated server can push to its streams: the three events the public and hashtag
 * streams carry (https://docs.joinmastodon.org/methods/streaming/#events).
 *
 * A `delete` carries the status it removes because Mastodon routes a deletion to the same
 * timelines the status went to (it still has the row when it publishes); on the wire only the
 * bare id is sent.
 */
import type { MastodonStatus } from "./mastodon-entities.ts";

export type StreamEventName = "update" | "status.update" | "delete";

export type StreamEvent =
  | { readonly event: "update"; readonly status: MastodonStatus }
  | { readonly event: "status.update"; readonly status: MastodonStatus }
  | { readonly event: "delete"; readonly status: MastodonStatus };

/** The `payload` field of the frame: the status as a JSON string, or the bare id for a delete. */
export function eventPayload(event: StreamEvent): string {
  return event.event === "delete" ? event.status.id : JSON.stringify(event.status);
}
