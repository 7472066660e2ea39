/**
 * Chooses the hashtags of a generated post: mostly by Zipf rank, sometimes one of the tags
 * trending at that moment, in proportion to the bursts' current extra weight.
 */
import type { VocabularyTag } from "./hashtag-vocabulary.ts";
import type { SeededRandom } from "./seeded-random.ts";
import type { TagDraft } from "./status-builder.ts";
import { createTrendSchedule, type TrendSchedule } from "./trend-bursts.ts";
import { createZipfSampler } from "./zipf-sampler.ts";

export interface TagPicker {
  /** Up to `count` distinct tags, none of whose names is in `exclude`. */
  pick(nowMs: number, count: number, exclude?: ReadonlySet<string>): VocabularyTag[];
  /** How the author typed it; `hidden` tags are listed in `tags` but not shown in the content. */
  spell(tag: VocabularyTag, hidden: boolean): TagDraft;
}

export interface TagPickerOptions {
  readonly vocabulary: readonly VocabularyTag[];
  readonly zipfExponent: number;
  readonly trendSeed: number;
  readonly random: SeededRandom;
}

export function createTagPicker(options: TagPickerOptions): TagPicker {
  const { vocabulary, random } = options;
  const zipf = createZipfSampler(vocabulary.length, options.zipfExponent);
  let trends: TrendSchedule | undefined;

  const drawRank = (nowMs: number): number => {
    // The schedule starts at the first time asked about, so a fresh demo already has trends.
    trends ??= createTrendSchedule({ seed: options.trendSeed, vocabularySize: vocabulary.length, originMs: nowMs });
    const active = trends.at(nowMs);
    const boost = active.reduce((sum, entry) => sum + entry.weight, 0);
    if (boost > 0 && random.next() * (1 + boost) >= 1) {
      return active[random.weighted(active.map((entry) => entry.weight))]?.burst.rank ?? 0;
    }
    return zipf.rankFor(random.next());
  };

  return {
    pick(nowMs, count, exclude = new Set()) {
      const chosen = new Map<string, VocabularyTag>();
      for (let attempt = 0; chosen.size < count && attempt < count * 8; attempt += 1) {
        const tag = vocabulary[drawRank(nowMs)];
        if (tag !== undefined && !exclude.has(tag.name)) chosen.set(tag.name, tag);
      }
      return [...chosen.values()];
    },
    spell(tag, hidden) {
      return {
        name: tag.name,
        // Authors do not always type a tag the way it is usually capitalised.
        display: random.chance(0.15) ? tag.display.toLowerCase() : tag.display,
        inContent: !hidden,
      };
    },
  };
}
