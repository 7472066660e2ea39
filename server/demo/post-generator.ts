/**
 * Deterministic synthetic traffic for a federated timeline. Same seed and same sequence of times,
 * same events. Time is passed in; nothing here reads a clock or does I/O.
 *
 * Shape (see the project's reference note on traffic): about a quarter of posts tagged, 1-4 tags
 * each (mean a little over 2), tag popularity Zipf-like (s = 1.1) plus a few trending bursts at
 * any time, several languages, local and remote authors, some bots, and occasional edits
 * (`status.update` with changed tags) and deletions of earlier posts.
 */
import { createAccountPool, DEFAULT_REMOTE_HOSTS, type PoolAccount } from "./account-pool.ts";
import { HASHTAG_VOCABULARY, type VocabularyTag } from "./hashtag-vocabulary.ts";
import { buildImageAttachment } from "./media-attachment-builder.ts";
import { contentWarningsFor, LANGUAGE_WEIGHTS, POST_LANGUAGES, sentencesFor } from "./post-text.ts";
import { RecentPosts } from "./recent-posts.ts";
import { createSeededRandom, deriveSeed } from "./seeded-random.ts";
import { snowflakeId } from "./snowflake-id.ts";
import { buildStatus, type StatusDraft } from "./status-builder.ts";
import type { StreamEvent } from "./stream-event.ts";
import { createTagPicker } from "./tag-picker.ts";
import { BURST_TAG, createDemoScenario, SPAM_TAG, type DemoScenario, type DemoScenarioOptions } from "./demo-scenario.ts";
import { buildAccount } from "./account-builder.ts";

export interface PostGeneratorOptions {
  readonly seed: number;
  /** Domain of the simulated server: authors without `@host` live there. */
  readonly host: string;
  readonly remoteHosts?: readonly string[];
  /** Share of posts with at least one hashtag. Default 0.25. */
  readonly taggedFraction?: number;
  /** Default 1.1. */
  readonly zipfExponent?: number;
  /** Chance, per generated post, of also editing an earlier post. Default 0.02. */
  readonly editProbability?: number;
  /** Chance, per generated post, of also deleting an earlier post. Default 0.015. */
  readonly deleteProbability?: number;
  readonly vocabulary?: readonly VocabularyTag[];
  /** The staged spam account and burst (demo-scenario.ts); `false` leaves them out. Default on. */
  readonly scenario?: DemoScenarioOptions | false;
}

export interface PostGenerator {
  /** One new post (`update`), sometimes followed by an edit or a delete of an earlier one. */
  next(nowMs: number): StreamEvent[];
  /** `count` calls of `next` at the same time. */
  tick(nowMs: number, count: number): StreamEvent[];
  /** The tags in Zipf rank order (rank 1 first). */
  readonly vocabulary: readonly VocabularyTag[];
}

const SPAM: VocabularyTag = { display: "MegaDeals", name: SPAM_TAG, language: null };
const BURST: VocabularyTag = { display: "AuroraBorealis", name: BURST_TAG, language: null };
const TAG_COUNT_WEIGHTS = [0.35, 0.3, 0.2, 0.15];
const BOT_POST_SHARE = 0.08;
const BOT_TAGGED = 0.7;

export function createPostGenerator(options: PostGeneratorOptions): PostGenerator {
  const vocabulary = options.vocabulary ?? HASHTAG_VOCABULARY;
  const random = createSeededRandom(deriveSeed(options.seed, 1));
  const pool = createAccountPool(createSeededRandom(deriveSeed(options.seed, 2)), {
    serverDomain: options.host,
    remoteHosts: options.remoteHosts ?? DEFAULT_REMOTE_HOSTS,
    humans: 400,
    bots: 6,
    localShare: 0.3,
  });
  const tagPicker = createTagPicker({
    vocabulary,
    zipfExponent: options.zipfExponent ?? 1.1,
    trendSeed: deriveSeed(options.seed, 3),
    random,
  });
  // Bots tag most of their posts, so humans tag a little less to keep the overall share.
  const taggedFraction = options.taggedFraction ?? 0.25;
  const humanTagged = Math.max(0, (taggedFraction - BOT_POST_SHARE * BOT_TAGGED) / (1 - BOT_POST_SHARE));
  const recent = new RecentPosts(2_000);
  let sequence = 0;
  let scenario: DemoScenario | undefined;
  const spammer: PoolAccount = {
    account: buildAccount({
      id: snowflakeId(Date.UTC(2024, 10, 1), 1),
      username: "best_deals_4u",
      host: "spam.example",
      serverDomain: options.host,
      displayName: "BEST DEALS",
      createdAt: "2024-11-01T00:00:00.000Z",
      note: "Deals every minute.",
    }),
    language: "en",
  };

  /** The staged post at `nowMs`, if the scenario writes this one: its author and its one tag. */
  const staged = (nowMs: number): { author: PoolAccount; tag: VocabularyTag } | undefined => {
    if (options.scenario === false) return undefined;
    scenario ??= createDemoScenario(nowMs, options.scenario);
    const draw = random.next();
    if (draw < scenario.spamShare) return { author: spammer, tag: SPAM };
    if (draw < scenario.spamShare + scenario.burstShareAt(nowMs)) return { author: random.pick(pool.humans), tag: BURST };
    return undefined;
  };

  const languageOf = (author: PoolAccount, tags: readonly VocabularyTag[]): string | null => {
    const fromTag = tags.find((tag) => tag.language !== null)?.language;
    if (fromTag !== undefined && fromTag !== null) return fromTag;
    if (random.chance(0.02)) return null;
    if (random.chance(0.9)) return author.language;
    return POST_LANGUAGES[random.weighted(POST_LANGUAGES.map((code) => LANGUAGE_WEIGHTS[code]))] ?? "en";
  };

  const newPost = (nowMs: number): StreamEvent => {
    const stage = staged(nowMs);
    const author = stage?.author ?? (random.chance(BOT_POST_SHARE) ? random.pick(pool.bots) : random.pick(pool.humans));
    const { account } = author;
    const remoteHost = account.acct.split("@")[1] ?? null;
    const tagged = stage !== undefined || random.chance(account.bot ? BOT_TAGGED : humanTagged);
    const chosen = stage !== undefined ? [stage.tag] : tagged ? tagPicker.pick(nowMs, 1 + random.weighted(TAG_COUNT_WEIGHTS)) : [];
    const hideLast = remoteHost !== null && random.chance(0.05);
    const tags = chosen.map((tag, index) => tagPicker.spell(tag, hideLast && index === chosen.length - 1));
    const language = languageOf(author, chosen);
    // Remote posts arrive a little after they were written; ids derive from the creation time.
    const createdAtMs = remoteHost === null ? nowMs : nowMs - random.int(20_000);
    const id = snowflakeId(createdAtMs, sequence++);
    const sentences = sentencesFor(language);
    const other = random.chance(0.03) ? recent.pickAny(random) : undefined;
    const replyTo = other !== undefined && other.author.account.id !== account.id ? other : undefined;
    const ownThread = recent.lastIdOf(account.id);
    const warning = random.chance(0.04) ? random.pick(contentWarningsFor(language)) : "";
    const draft: StatusDraft = {
      id,
      createdAt: new Date(createdAtMs).toISOString(),
      account: { ...account, last_status_at: new Date(createdAtMs).toISOString().slice(0, 10) },
      serverDomain: options.host,
      text: [random.pick(sentences), ...(random.chance(0.3) ? [random.pick(sentences)] : [])].join("\n\n"),
      tags,
      language,
      ...(remoteHost === null ? {} : { originId: snowflakeId(createdAtMs, random.int(0x10000)) }),
      sensitive: warning !== "",
      spoilerText: warning,
      inReplyTo:
        replyTo !== undefined
          ? { id: replyTo.draft.id, accountId: replyTo.author.account.id }
          : ownThread !== undefined && random.chance(0.05)
            ? { id: ownThread, accountId: account.id }
            : null,
      mentions: replyTo !== undefined ? [replyTo.author.account] : [],
      mediaAttachments: random.chance(0.12)
        ? [
            buildImageAttachment({
              id: snowflakeId(createdAtMs, random.int(0x10000)),
              serverDomain: options.host,
              remoteHost,
              width: random.pick([1200, 1600, 2048]),
              height: random.pick([900, 1200, 1536]),
              description: random.chance(0.6) ? "A photo taken on a walk." : null,
            }),
          ]
        : [],
    };
    recent.add({ draft, tags, author });
    return { event: "update", status: buildStatus(draft) };
  };

  const edit = (nowMs: number): StreamEvent | undefined => {
    const entry = recent.pickEarlier(random);
    if (entry === undefined) return undefined;
    const removed = entry.tags.length > 0 && random.chance(0.5) ? random.int(entry.tags.length) : -1;
    const kept = entry.tags.filter((_, index) => index !== removed);
    const known = new Set(entry.tags.map((tag) => tag.name));
    const added = removed >= 0 ? [] : tagPicker.pick(nowMs, 1, known).map((tag) => tagPicker.spell(tag, false));
    const tags = [...kept, ...added];
    const draft: StatusDraft = { ...entry.draft, tags, editedAt: new Date(nowMs).toISOString() };
    recent.replace(entry, { ...entry, draft, tags });
    return { event: "status.update", status: buildStatus(draft) };
  };

  const remove = (): StreamEvent | undefined => {
    const entry = recent.pickEarlier(random);
    if (entry === undefined) return undefined;
    recent.remove(entry);
    return { event: "delete", status: buildStatus(entry.draft) };
  };

  const next = (nowMs: number): StreamEvent[] => {
    const events: StreamEvent[] = [newPost(nowMs)];
    const edited = random.chance(options.editProbability ?? 0.02) ? edit(nowMs) : undefined;
    if (edited !== undefined) events.push(edited);
    const deleted = random.chance(options.deleteProbability ?? 0.015) ? remove() : undefined;
    if (deleted !== undefined) events.push(deleted);
    return events;
  };

  return {
    next,
    tick: (nowMs, count) => Array.from({ length: count }, () => next(nowMs)).flat(),
    vocabulary,
  };
}
