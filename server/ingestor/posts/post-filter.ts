/**
 * Applies the configured filters (server/config/post-filters.ts) to a post. The first rule that
 * matches names the reason, in this order: bot, sensitive, language, account, instance, tag.
 *
 * A post without a language passes the language filter, as Mastodon's own `chosen_languages`
 * filter lets it through (streaming/index.js checks `payload.language !== null`).
 */
import type { PostFilterSettings } from "../../config/post-filters.ts";
import type { PostFacts } from "./status-facts.ts";

export type FilterReason = "bot" | "sensitive" | "language" | "account" | "instance" | "tag";

export type PostFilter = (post: PostFacts) => FilterReason | undefined;

/** `*` any run of characters, `?` one; everything else literally. */
function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${body}$`, "u");
}

export function createPostFilter(settings: PostFilterSettings): PostFilter {
  const languages = settings.languages === undefined ? undefined : new Set(settings.languages);
  const tags = new Set(settings.blockedTags);
  const patterns = settings.blockedTagPatterns.map(globToRegExp);
  const accounts = new Set(settings.blockedAccounts);
  const domains = settings.blockedInstances;

  const languageAllowed = (language: string | null): boolean =>
    languages === undefined || language === null || languages.has(language) || languages.has(language.split("-")[0] as string);
  const domainBlocked = (domain: string): boolean =>
    domains.some((blocked) => domain === blocked || domain.endsWith(`.${blocked}`));
  const tagBlocked = (tag: string): boolean => tags.has(tag) || patterns.some((pattern) => pattern.test(tag));

  return (post) => {
    if (settings.skipBots && post.bot) return "bot";
    if (settings.skipSensitive && post.sensitive) return "sensitive";
    if (!languageAllowed(post.language)) return "language";
    if (accounts.has(post.acct)) return "account";
    if (domainBlocked(post.domain)) return "instance";
    if (post.tags.some(tagBlocked)) return "tag";
    return undefined;
  };
}
