/**
 * The protocol's limits at the real TCP intake, on both of its paths: the byte fast path for short
 * plain lines (plain-line.ts) and the string path. Whatever path a line takes, the same rules hold.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAST_PATH_MAX_BYTES } from "../../../server/aggregator/intake/line-intake.ts";
import { MAX_TAG_LENGTH, MAX_TAGS_PER_LINE } from "../../../shared/line-protocol.ts";
import { startHarness, type Harness } from "../../support/aggregator-harness.ts";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ windows: [{ kind: "complete" }] });
});
afterAll(() => harness.close());

/** Sends `lines`, ticks, and returns what changed: lines counted, refusals by reason, tag counts. */
async function send(lines: Array<string | Buffer>, tags: readonly string[]) {
  const { aggregator } = harness;
  const before = { lines: aggregator.tick().snapshot.stats.lines, rejected: new Map(aggregator.stats.rejected), long: aggregator.stats.longTags };
  const counts = new Map(tags.map((tag) => [tag, aggregator.countsOf(tag).windows.complete ?? 0]));
  await harness.sendLines(Buffer.concat(lines.map((line) => Buffer.concat([Buffer.from(line), Buffer.from("\n")]))));
  const after = aggregator.tick().snapshot;
  const rejected: Record<string, number> = {};
  for (const [reason, n] of aggregator.stats.rejected) if (n !== (before.rejected.get(reason) ?? 0)) rejected[reason] = n - (before.rejected.get(reason) ?? 0);
  return {
    lines: after.stats.lines - before.lines,
    rejected,
    longTags: aggregator.stats.longTags - before.long,
    counts: Object.fromEntries(tags.map((tag) => [tag, (aggregator.countsOf(tag).windows.complete ?? 0) - (counts.get(tag) ?? 0)])),
  };
}

describe("line intake limits", () => {
  it("refuses a NUL inside an otherwise plain line, which the fast path hands to the string path", async () => {
    const result = await send(["alpha\u0000beta", "alpha beta", Buffer.from([0x61, 0x00]), "gamma\u001b[31m", "alpha\r"], ["alpha", "beta", "gamma", "a"]);
    expect(result).toEqual({ lines: 2, rejected: { "control-characters": 3 }, longTags: 0, counts: { alpha: 2, beta: 1, gamma: 0, a: 0 } });
  });

  it(`drops a tag over ${MAX_TAG_LENGTH} characters from a plain line of any length, keeping its neighbours`, async () => {
    const longest = "l".repeat(MAX_TAG_LENGTH);
    const over = "o".repeat(MAX_TAG_LENGTH + 1);
    // The first line is just over the fast path's bound, the last one just within it. A line refused
    // as a whole (nothing valid left) counts once, under its reason, not also as a dropped tag.
    expect([over.length, longest.length]).toEqual([FAST_PATH_MAX_BYTES + 1, FAST_PATH_MAX_BYTES]);
    const result = await send([over, `keep ${over} ${longest}`, longest], ["keep", longest, over]);
    expect(result).toEqual({ lines: 2, rejected: { "no-valid-tags": 1 }, longTags: 1, counts: { keep: 1, [longest]: 2, [over]: 0 } });
  });

  it(`refuses more than ${MAX_TAGS_PER_LINE} tags on a line, plain or JSON, and counts the lines around it`, async () => {
    const many = (n: number) => Array.from({ length: n }, () => "m");
    const result = await send(
      [many(MAX_TAGS_PER_LINE + 1).join(" "), JSON.stringify({ tags: many(MAX_TAGS_PER_LINE + 1) }), many(MAX_TAGS_PER_LINE).join(" "), "n"],
      ["m", "n"],
    );
    expect(result).toEqual({ lines: 2, rejected: { "too-many-tags": 2 }, longTags: 0, counts: { m: MAX_TAGS_PER_LINE, n: 1 } });
  });
});
