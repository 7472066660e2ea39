/**
 * A short way to craft one status for tests and examples: give an id, an `acct` (bare for a
 * local author, `user@host` for a remote one) and the tag names; everything else gets a
 * plausible default.
 */
import { buildAccount } from "./account-builder.ts";
import type { MastodonStatus } from "./mastodon-entities.ts";
import { buildStatus, type StatusDraft } from "./status-builder.ts";

export const DEFAULT_SERVER_DOMAIN = "mastodon.example";

export interface CraftedStatusOptions extends Partial<Omit<StatusDraft, "account" | "id">> {
  readonly id: string;
  /** `alice` (local) or `bob@remote.example` (remote). */
  readonly acct: string;
  /** Defaults to a number derived from `acct`, so the same author keeps the same id. */
  readonly accountId?: string;
  readonly bot?: boolean;
}

/** FNV-1a: a stable small number per author name. */
function stableAccountId(acct: string): string {
  let hash = 0x811c9dc5;
  for (const char of acct) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(100000 + (hash % 900000));
}

export function craftStatus(options: CraftedStatusOptions): MastodonStatus {
  const { acct, accountId, bot, ...rest } = options;
  const [username = acct, host = null] = acct.split("@");
  const serverDomain = rest.serverDomain ?? DEFAULT_SERVER_DOMAIN;
  const account = buildAccount({
    id: accountId ?? stableAccountId(acct),
    username,
    host,
    serverDomain,
    bot: bot ?? false,
  });
  return buildStatus({
    createdAt: "2025-01-01T12:00:00.000Z",
    text: "Hello from the simulated fediverse",
    ...rest,
    serverDomain,
    account,
  });
}
