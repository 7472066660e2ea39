/**
 * The ingestor's filters as configured: which posts never reach the counts. Each list is parsed and
 * checked here with the rest of the configuration; server/ingestor/posts/post-filter.ts applies them.
 *
 * Lists are comma-separated. Tag entries are hashtag names (a leading `#` is optional), normalised
 * like every counted tag, or patterns where `*` stands for any run of characters and `?` for one.
 */
import { normaliseHashtag } from "../../shared/hashtag.ts";

export interface PostFilterSettings {
  /** Languages to keep (ISO 639 codes, lower case); undefined keeps every language. */
  readonly languages: readonly string[] | undefined;
  readonly blockedTags: readonly string[];
  readonly blockedTagPatterns: readonly string[];
  /** `user@domain`, lower case. */
  readonly blockedAccounts: readonly string[];
  /** Domains, lower case; their subdomains are blocked too. */
  readonly blockedInstances: readonly string[];
  readonly skipSensitive: boolean;
  readonly skipBots: boolean;
}

export const NO_FILTERS: PostFilterSettings = {
  languages: undefined,
  blockedTags: [],
  blockedTagPatterns: [],
  blockedAccounts: [],
  blockedInstances: [],
  skipSensitive: false,
  skipBots: false,
};

const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
const WILDCARD = /([*?])/;

const entries = (text: string): string[] => text.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");

export function parseBlockedTags(text: string, problems: string[]): Pick<PostFilterSettings, "blockedTags" | "blockedTagPatterns"> {
  const blockedTags: string[] = [];
  const blockedTagPatterns: string[] = [];
  for (const entry of entries(text)) {
    const name = entry.replace(/^#/, "");
    if (!WILDCARD.test(name)) {
      const tag = normaliseHashtag(name);
      if (tag === "") problems.push(`FILTER_BLOCK_TAGS: "${entry}" is not a hashtag`);
      else blockedTags.push(tag);
      continue;
    }
    // Literal runs are normalised like tags; the wildcards stay between them.
    const pattern = name.split(WILDCARD).map((part) => (part === "*" || part === "?" ? part : normaliseHashtag(part))).join("");
    if (/^\**$/.test(pattern)) problems.push(`FILTER_BLOCK_TAGS: "${entry}" would block every tag`);
    else blockedTagPatterns.push(pattern);
  }
  return { blockedTags, blockedTagPatterns };
}

export function parseLanguages(text: string, problems: string[]): readonly string[] | undefined {
  const languages = entries(text).map((code) => code.toLowerCase());
  for (const code of languages) if (!LANGUAGE.test(code)) problems.push(`FILTER_LANGUAGES: "${code}" is not a language code such as en or pt-br`);
  return languages.length === 0 ? undefined : languages;
}

export function parseBlockedAccounts(text: string, problems: string[]): readonly string[] {
  const accounts = entries(text).map((acct) => acct.replace(/^@/, "").toLowerCase());
  for (const acct of accounts) {
    const [user, domain, extra] = acct.split("@");
    if (!user || domain === undefined || !DOMAIN.test(domain) || extra !== undefined) problems.push(`FILTER_BLOCK_ACCOUNTS: "${acct}" is not user@domain`);
  }
  return accounts;
}

export function parseBlockedInstances(text: string, problems: string[]): readonly string[] {
  const domains = entries(text).map((domain) => domain.toLowerCase());
  for (const domain of domains) if (!DOMAIN.test(domain)) problems.push(`FILTER_BLOCK_INSTANCES: "${domain}" is not a domain`);
  return domains;
}
