/**
 * Draws ranks with Zipf-like popularity: rank r (1-based) has weight 1 / r^s. Hashtag use on
 * social media follows such a power law closely; s around 1.1 gives a head that dominates
 * without a single tag taking everything. The benchmark draws its corpus with it too
 * (bench/support/zipf-corpus.ts).
 */

export interface ZipfSampler {
  /** 0-based rank for a uniform draw in [0, 1). */
  rankFor(uniform: number): number;
  /** Share of draws that land on a 0-based rank. */
  probability(rank: number): number;
  /** Sum of all weights, the unit burst weights are expressed against. */
  readonly totalWeight: number;
}

export function createZipfSampler(size: number, exponent: number): ZipfSampler {
  if (size < 1) throw new RangeError("a Zipf sampler needs at least one rank");
  // A typed array: the benchmark draws over up to 10 million ranks.
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let rank = 1; rank <= size; rank += 1) {
    total += 1 / rank ** exponent;
    cumulative[rank - 1] = total;
  }
  return {
    totalWeight: total,
    probability: (rank) => (rank >= 0 && rank < size ? 1 / (rank + 1) ** exponent / total : 0),
    rankFor: (uniform) => {
      const target = uniform * total;
      let low = 0;
      let high = size - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((cumulative[middle] ?? total) > target) high = middle;
        else low = middle + 1;
      }
      return low;
    },
  };
}
