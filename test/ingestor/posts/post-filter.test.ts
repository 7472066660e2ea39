import { describe, expect, it } from "vitest";
import { NO_FILTERS, type PostFilterSettings } from "../../../server/config/post-filters.ts";
import { createPostFilter } from "../../../server/ingestor/posts/post-filter.ts";
import type { PostFacts } from "../../../server/ingestor/posts/status-facts.ts";

const POST: PostFacts = {
  localId: "1",
  uri: "https://x.example/1",
  tags: ["art", "photography"],
  createdAt: 0,
  language: "en",
  acct: "alice@x.example",
  domain: "x.example",
  sensitive: false,
  bot: false,
};

const filterWith = (settings: Partial<PostFilterSettings>) => createPostFilter({ ...NO_FILTERS, ...settings });

describe("createPostFilter", () => {
  it("lets everything through by default, bots and sensitive posts included", () => {
    expect(filterWith({})({ ...POST, bot: true, sensitive: true, language: "ja" })).toBeUndefined();
  });

  it("keeps only the listed languages, by primary subtag, and posts without a language", () => {
    const filter = filterWith({ languages: ["en", "pt-br"] });
    expect(filter(POST)).toBeUndefined();
    expect(filter({ ...POST, language: "en-gb" })).toBeUndefined();
    expect(filter({ ...POST, language: null })).toBeUndefined();
    expect(filter({ ...POST, language: "pt-br" })).toBeUndefined();
    expect(filter({ ...POST, language: "pt" })).toBe("language");
    expect(filter({ ...POST, language: "de" })).toBe("language");
  });

  it("blocks tags by name and by pattern", () => {
    const filter = filterWith({ blockedTags: ["nsfw"], blockedTagPatterns: ["*porn*", "crypto?"] });
    expect(filter(POST)).toBeUndefined();
    expect(filter({ ...POST, tags: ["art", "nsfw"] })).toBe("tag");
    expect(filter({ ...POST, tags: ["foodporn"] })).toBe("tag");
    expect(filter({ ...POST, tags: ["cryptos"] })).toBe("tag");
    expect(filter({ ...POST, tags: ["crypto"] })).toBeUndefined();
    expect(filter({ ...POST, tags: ["nsfwart"] })).toBeUndefined();
  });

  it("blocks accounts and instances with their subdomains", () => {
    const filter = filterWith({ blockedAccounts: ["spam@x.example"], blockedInstances: ["bad.example"] });
    expect(filter({ ...POST, acct: "spam@x.example" })).toBe("account");
    expect(filter({ ...POST, domain: "bad.example", acct: "bob@bad.example" })).toBe("instance");
    expect(filter({ ...POST, domain: "social.bad.example", acct: "bob@social.bad.example" })).toBe("instance");
    expect(filter({ ...POST, domain: "notbad.example", acct: "bob@notbad.example" })).toBeUndefined();
  });

  it("skips sensitive posts and bots when asked, naming the first reason that applies", () => {
    const filter = filterWith({ skipSensitive: true, skipBots: true, blockedTags: ["art"] });
    expect(filter({ ...POST, sensitive: true })).toBe("sensitive");
    expect(filter({ ...POST, bot: true, sensitive: true })).toBe("bot");
    expect(filter(POST)).toBe("tag");
  });
});
