/**
 * The benchmark's traffic: lines of 1-5 hashtags drawn with Zipf-like popularity (rank r has weight
 * 1/r^s), the shape hashtag use follows on social media, with the demo's seeded PRNG and Zipf
 * sampler. Deterministic for a seed, and cached in the temporary directory so that every subject of
 * one run (and every run) reads the same bytes.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSeededRandom } from "../../server/demo/seeded-random.ts";
import { createZipfSampler } from "../../server/demo/zipf-sampler.ts";

export interface CorpusSpec {
  /** Ranks the tags are drawn from. */
  readonly distinct: number;
  readonly exponent: number;
  /** Tag occurrences in the whole corpus. */
  readonly tags: number;
  readonly seed: number;
}

export interface Corpus {
  readonly bytes: Buffer;
  readonly lines: number;
  readonly tags: number;
}

const CONSONANTS = "bcdfghjklmnprstvwxyz";
const VOWELS = "aeiou";

/**
 * A pronounceable, unique name per rank: its base-100 digits as two-letter syllables, so popular
 * tags are short ("ba", "be") and the tail is long, as on a real timeline.
 */
export function tagName(rank: number): string {
  let name = "";
  let rest = rank;
  do {
    const syllable = rest % 100;
    name += (CONSONANTS[syllable % 20] as string) + (VOWELS[Math.floor(syllable / 20)] as string);
    rest = Math.floor(rest / 100);
  } while (rest > 0);
  return name;
}

/** Writes the names of ranks [0, size) into one byte arena: name r is bytes[offsets[r]..offsets[r+1]). */
export function nameArena(size: number): { bytes: Buffer; offsets: Uint32Array } {
  const offsets = new Uint32Array(size + 1);
  const parts: string[] = [];
  let length = 0;
  for (let rank = 0; rank < size; rank++) {
    const name = tagName(rank);
    parts.push(name);
    length += name.length;
    offsets[rank + 1] = length;
  }
  return { bytes: Buffer.from(parts.join(""), "latin1"), offsets };
}

export function generateCorpus(spec: CorpusSpec): Corpus {
  const uniform = createSeededRandom(spec.seed).next;
  const zipf = createZipfSampler(spec.distinct, spec.exponent);
  const rank = (): number => zipf.rankFor(uniform());
  const names = nameArena(spec.distinct);
  // Longest name is 2 bytes per base-100 digit; 1-5 tags plus separators a line.
  const out = Buffer.allocUnsafe(spec.tags * (2 * Math.ceil(Math.log10(spec.distinct + 1) / 2 + 1) + 1) + 16);
  let at = 0;
  let tags = 0;
  let lines = 0;
  while (tags < spec.tags) {
    const count = Math.min(1 + Math.floor(uniform() * 5), spec.tags - tags);
    for (let i = 0; i < count; i++) {
      const r = rank();
      if (i > 0) out[at++] = 0x20;
      at += names.bytes.copy(out, at, names.offsets[r] as number, names.offsets[r + 1] as number);
    }
    out[at++] = 0x0a;
    tags += count;
    lines++;
  }
  return { bytes: out.subarray(0, at), lines, tags };
}

/** The corpus for `spec`, generated once and then read from the temporary directory. */
export function loadCorpus(spec: CorpusSpec): Corpus {
  const dir = join(tmpdir(), "tagstream-bench");
  const file = join(dir, `zipf-${spec.distinct}-${spec.exponent}-${spec.tags}-${spec.seed}.lines`);
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    let lines = 0;
    for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) lines++;
    return { bytes, lines, tags: spec.tags };
  }
  const corpus = generateCorpus(spec);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, corpus.bytes);
  renameSync(`${file}.tmp`, file);
  return corpus;
}
