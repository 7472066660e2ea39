/**
 * What the screen reader hears when the ranking changes: a new leader and tags entering it, the
 * changes a sighted viewer notices first. Rank-by-rank shuffles stay in the table, where they can
 * be read at will instead of interrupting every trigger.
 */
import type { TopEntry } from "../../../shared/messages.ts";
import type { Movement } from "./rank-motion.ts";

/** New entries named one by one; beyond, they are counted. */
const NAMED_NEW_ENTRIES = 3;

export function rankingAnnouncement(entries: readonly TopEntry[], movements: ReadonlyMap<string, Movement>): string {
  const parts: string[] = [];
  const leader = entries[0];
  if (leader !== undefined && ["up", "new"].includes(movements.get(leader.tag)?.kind ?? "")) {
    parts.push(`#${leader.tag} is now number 1.`);
  }
  const entered = entries.filter((entry) => entry.rank > 1 && movements.get(entry.tag)?.kind === "new");
  for (const entry of entered.slice(0, NAMED_NEW_ENTRIES)) parts.push(`#${entry.tag} is new at rank ${entry.rank}.`);
  if (entered.length > NAMED_NEW_ENTRIES) parts.push(`${entered.length - NAMED_NEW_ENTRIES} more new tags.`);
  return parts.join(" ");
}

/** The table's words for a movement. */
export function describeMovement(movement: Movement | undefined): string {
  switch (movement?.kind) {
    case "up":
      return `up ${movement.places}`;
    case "down":
      return `down ${movement.places}`;
    case "new":
      return "new";
    default:
      return "";
  }
}
