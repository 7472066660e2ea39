/**
 * The Nats-Msg-Id of a line on `<stream>.in.posts`: the same post event gets the same id whoever
 * publishes it, so the same post followed through two servers by two ingestors, or published again
 * after a lost ack, is stored once within the stream's duplicate window.
 *
 * The id is derived from the post's `uri` and the operation: a new post and a delete are each one
 * event per post; an edit also carries its tags as they are after the edit (sorted, each once), so
 * that two different edits of one post never collapse into one. Lines that are not post events
 * (plain tags, hello, stats) have none: nothing says two of them are the same event.
 */
import { createHash } from "node:crypto";
import { parseLine } from "../../shared/line-protocol.ts";

/** The message id of one line of the line protocol (without its newline), or undefined. */
export function postMessageId(line: string): string | undefined {
  const parsed = parseLine(line);
  switch (parsed.kind) {
    case "tags":
      return parsed.meta.id === undefined || parsed.meta.id === "" ? undefined : digest(["post", parsed.meta.id]);
    case "delete":
      return digest(["delete", parsed.id]);
    case "update":
      return digest(["update", parsed.id, ...[...new Set(parsed.tags)].sort()]);
    default:
      return undefined;
  }
}

// A newline cannot occur in a uri or a normalised tag, so joined parts cannot be confused.
function digest(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}
