/**
 * The authors of generated posts: a fixed, seeded population of local accounts (`acct` without a
 * domain), remote accounts from other servers (`user@host`) and a few bots. Remote servers use
 * reserved `.example` names so no generated URL points at a real instance.
 */
import { buildAccount, websiteField } from "./account-builder.ts";
import type { MastodonAccount } from "./mastodon-entities.ts";
import { LANGUAGE_WEIGHTS, POST_LANGUAGES, type PostLanguage } from "./post-text.ts";
import type { SeededRandom } from "./seeded-random.ts";
import { snowflakeId } from "./snowflake-id.ts";

export const DEFAULT_REMOTE_HOSTS: readonly string[] = [
  "mastodon.example.net",
  "social.example.org",
  "chaos.example",
  "mstdn.example",
  "fosstodon.example",
  "hachyderm.example",
  "pixel.example",
  "norden.example",
  "piaille.example",
  "toot.example",
  "masto.example.com",
  "botsin.example",
];

export interface PoolAccount {
  readonly account: MastodonAccount;
  /** The language this author usually writes in. */
  readonly language: PostLanguage;
}

export interface AccountPool {
  readonly humans: readonly PoolAccount[];
  readonly bots: readonly PoolAccount[];
}

export interface AccountPoolOptions {
  readonly serverDomain: string;
  readonly remoteHosts: readonly string[];
  readonly humans: number;
  readonly bots: number;
  /** Share of human accounts that live on the simulated server itself. */
  readonly localShare: number;
}

const GIVEN_NAMES = [
  "anna", "ben", "chloe", "dmitri", "emeka", "fatima", "giulia", "hiro", "ines", "jonas", "kemal",
  "lea", "mateo", "nadia", "oskar", "priya", "quentin", "rosa", "sven", "tomoko", "ursula",
  "valentin", "wei", "ximena", "yusuf", "zoe", "aiko", "bruno", "camille", "dana", "elif", "finn",
];
const SUFFIXES = ["", "", "", "_", "photos", "codes", "reads", "bikes", "draws", "_dev", "_art", "42", "99", "x"];
const BIOS = [
  "Photographer, cyclist and occasional baker. Posts about whatever catches my eye.",
  "Software developer by day, reading too many books by night.",
  "Researcher in ecology. Opinions my own; birds everybody's.",
  "Illustrator. Commissions open sometimes. Cats always.",
  "Teacher, gardener, amateur astronomer.",
  "Here for the conversations, the pictures and the weird little corners of the web.",
];
const DISPLAY_DECORATIONS = ["", "", "", " 🌿", " 📷", " ☕", " 🚲", " (she/her)", " (he/him)", " (they/them)"];
const BOT_NAMES = [
  ["worldnews", "World News Bot"],
  ["weatherbot", "Daily Weather Bot"],
  ["rss_feed", "RSS Feed"],
  ["earthquakes", "Earthquake Alerts Bot"],
  ["arxiv_daily", "arXiv Daily"],
  ["releases", "Release Notes Bot"],
  ["sunsets", "Sunset Pictures Bot"],
  ["wikipedia_today", "On This Day"],
] as const;

/** Account creation dates span from 2017-04-01 to 2024-12-31 (fixed, not read from a clock). */
const FIRST_SIGNUP_MS = Date.UTC(2017, 3, 1);
const LAST_SIGNUP_MS = Date.UTC(2024, 11, 31);

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function logUniform(random: SeededRandom, max: number): number {
  return Math.floor(Math.exp(random.next() * Math.log(max + 1))) - 1;
}

function pickLanguage(random: SeededRandom): PostLanguage {
  return POST_LANGUAGES[random.weighted(POST_LANGUAGES.map((language) => LANGUAGE_WEIGHTS[language]))] ?? "en";
}

export function createAccountPool(random: SeededRandom, options: AccountPoolOptions): AccountPool {
  const taken = new Set<string>();
  const make = (username: string, host: string | null, displayName: string, bot: boolean): PoolAccount => {
    const createdAtMs = random.between(FIRST_SIGNUP_MS, LAST_SIGNUP_MS);
    const createdAtIso = new Date(createdAtMs).toISOString();
    const account = buildAccount({
      id: snowflakeId(createdAtMs, random.int(0x10000)),
      username,
      host,
      serverDomain: options.serverDomain,
      displayName,
      bot,
      locked: !bot && random.chance(0.04),
      createdAt: createdAtIso,
      note: bot ? "Automated account. Posts are generated from public feeds." : random.pick(BIOS),
      fields: random.chance(0.4) ? [websiteField(`${username.replace(/_/g, "")}.example`, random.chance(0.5) ? createdAtIso : null)] : [],
      followersCount: logUniform(random, bot ? 50_000 : 20_000),
      followingCount: bot ? 0 : logUniform(random, 3_000),
      statusesCount: logUniform(random, 60_000),
      hasAvatar: random.chance(0.9),
    });
    return { account, language: pickLanguage(random) };
  };

  const humans: PoolAccount[] = [];
  for (let attempt = 0; humans.length < options.humans; attempt += 1) {
    if (attempt > options.humans * 50) throw new RangeError("not enough distinct names for the account pool");
    const host = random.chance(options.localShare) ? null : random.pick(options.remoteHosts);
    const given = random.pick(GIVEN_NAMES);
    const username = `${given}${random.pick(SUFFIXES)}`;
    if (taken.has(`${username}@${host ?? ""}`)) continue;
    taken.add(`${username}@${host ?? ""}`);
    humans.push(make(username, host, `${capitalise(given)}${random.pick(DISPLAY_DECORATIONS)}`, false));
  }
  const bots = BOT_NAMES.slice(0, options.bots).map(([username, displayName]) =>
    make(username, random.chance(0.25) ? null : random.pick(options.remoteHosts), displayName, true),
  );
  return { humans, bots };
}
