/**
 * Memory of distinct accounts, a 24 h trend baseline and event time at 200 tagged posts a second,
 * next to the plain post-count engine fed the same posts (for information: no target).
 */
import { startChild, type Message } from "../support/child.ts";
import { bySize, type Figure, type Scenario } from "../support/figure.ts";

interface Done extends Message {
  readonly heapBytes: number;
  readonly rssBytes: number;
  readonly seconds: number;
  readonly posts: number;
  readonly baselineSlots: number;
  readonly baselineEntries: number;
}

async function probe(hours: number, accounts: boolean): Promise<Done> {
  const child = startChild("baseline-memory-probe.ts", { hours, postsPerSecond: 200, accounts }, ["--expose-gc", "--max-old-space-size=8192"]);
  try {
    return await child.next<Done>("done");
  } finally {
    await child.stop();
  }
}

export const baselineMemory: Scenario = {
  name: "baseline",
  title: "Memory of accounts, a 24 h trend baseline and event time at 200 tagged posts/s",
  async run({ size, progress }): Promise<Figure[]> {
    const hours = bySize(size, { smoke: 0.05, quick: 2, full: 24 });
    progress(`accounts + trend (1h against 24h) + event time: ${hours} h of 200 posts/s on a virtual clock`);
    const full = await probe(hours, true);
    progress("plain post counts, same posts");
    const plain = await probe(hours, false);
    const mb = (bytes: number): number => bytes / 2 ** 20;
    return [
      {
        scenario: "baseline",
        metric: `engine heap after GC, ${hours} h at 200 posts/s, accounts + trend + event time`,
        unit: "MB",
        value: mb(full.heapBytes),
        higherIsBetter: false,
        baselines: [{ name: "plain counts", value: mb(plain.heapBytes) }],
        notes: [
          `${full.posts.toLocaleString("en-US")} posts; RSS ${mb(full.rssBytes).toFixed(0)} MB (plain ${mb(plain.rssBytes).toFixed(0)} MB); ` +
            `${full.seconds.toFixed(0)} s to run (plain ${plain.seconds.toFixed(0)} s); ` +
            `the baseline holds ${full.baselineEntries.toLocaleString("en-US")} (tag, accounts) entries in ${full.baselineSlots} slots`,
        ],
      },
    ];
  },
};
