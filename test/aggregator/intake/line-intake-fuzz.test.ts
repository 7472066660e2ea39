/**
 * Property test of the real TCP intake: random valid lines mixed with hostile ones, cut into random
 * chunks. The server must stay up, count every valid line exactly and refuse every bad line once.
 * Hostile lines cover every limit of the protocol (shared/line-protocol.ts): length, UTF-8, control
 * characters, too many tags, over-long tags (dropped from lines that still count), bad JSON.
 */
import net from "node:net";
import { once } from "node:events";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../support/aggregator-harness.ts";

type Item =
  | { kind: "valid"; bytes: Buffer; tags: string[]; longTags?: number }
  | { kind: "bad"; bytes: Buffer }
  | { kind: "blank"; bytes: Buffer };

const tag = fc.stringMatching(/^[a-z0-9_]{1,12}$/);
const tags = fc.array(tag, { minLength: 1, maxLength: 5 });

/** A name over MAX_TAG_LENGTH (100): dropped from its line, which still counts. */
const longTag = fc.integer({ min: 101, max: 400 }).map((n) => "x".repeat(n));

let nextPostId = 0;
const valid: fc.Arbitrary<Item> = fc.oneof(
  tags.map((t) => ({ kind: "valid" as const, bytes: Buffer.from(`${t.join(" ")}\n`), tags: t })),
  tags.map((t) => ({ kind: "valid" as const, bytes: Buffer.from(`#${t.join("  #")}\r\n`), tags: t })),
  // Each post its own id: a repeated id is the same post again, which counts only once.
  tags.map((t) => ({ kind: "valid" as const, bytes: Buffer.from(`${JSON.stringify({ tags: t, ts: 1, id: `x${nextPostId++}` })}\n`), tags: t })),
  fc.tuple(tags, longTag, fc.boolean()).map(([t, long, json]) => {
    const all = [...t.slice(0, 1), long, ...t.slice(1)];
    const text = json ? JSON.stringify({ tags: all }) : all.join(" ");
    return { kind: "valid" as const, bytes: Buffer.from(`${text}\n`), tags: t, longTags: 1 };
  }),
);

/** C0 controls other than TAB and LF; CR counts as one too unless it ends the line. */
const control = fc.constantFrom(...[...Array(32).keys()].filter((code) => code !== 0x09 && code !== 0x0a));

const bad: fc.Arbitrary<Item> = fc.oneof(
  // Invalid UTF-8: a lone continuation byte, an overlong encoding, a truncated sequence.
  fc.constantFrom([0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xff]).chain((raw) =>
    tag.map((t) => ({ kind: "bad" as const, bytes: Buffer.concat([Buffer.from(t), Buffer.from(raw), Buffer.from("\n")]) })),
  ),
  // Malformed JSON, wrong shapes, unknown ops.
  fc.constantFrom('{"tags":', "{", '{"tags":"rust"}', '{"op":"explode"}', '{"tags":[],"ts":"soon"}').map((text) => ({
    kind: "bad" as const,
    bytes: Buffer.from(`${text}\n`),
  })),
  // Nothing hashtag-like at all.
  fc.stringMatching(/^[!?.,;:()\-]{1,20}$/).map((text) => ({ kind: "bad" as const, bytes: Buffer.from(`${text}\n`) })),
  // NUL and other control characters inside otherwise valid lines, short (the byte fast path) or JSON.
  fc.tuple(tag, control, tag, fc.boolean()).map(([a, code, b, json]) => {
    const text = `${a}${String.fromCharCode(code)}${b}`;
    return { kind: "bad" as const, bytes: Buffer.from(`${json ? `{"tags":["${text}"]}` : text}\n`) };
  }),
  // More than MAX_TAGS_PER_LINE (64) tags.
  fc.tuple(fc.array(tag, { minLength: 65, maxLength: 120 }), fc.boolean()).map(([many, json]) => ({
    kind: "bad" as const,
    bytes: Buffer.from(`${json ? JSON.stringify({ tags: many }) : many.join(" ")}\n`),
  })),
  // Nothing but an over-long tag: no valid tag left.
  longTag.map((long) => ({ kind: "bad" as const, bytes: Buffer.from(`#${long}\n`) })),
);

// Over-long lines (64 KiB is the limit), made of valid-looking tags: none of it may count.
const overlong: fc.Arbitrary<Item> = fc
  .integer({ min: 64 * 1024 + 1, max: 160 * 1024 })
  .map((n) => ({ kind: "bad" as const, bytes: Buffer.from(`${"ab ".repeat(Math.ceil(n / 3))}\n`) }));

const blank: fc.Arbitrary<Item> = fc.constantFrom("\n", " \t \n", "\r\n").map((t) => ({ kind: "blank" as const, bytes: Buffer.from(t) }));

const stream = fc.array(
  fc.oneof(
    { weight: 300, arbitrary: valid },
    { weight: 150, arbitrary: bad },
    { weight: 1, arbitrary: overlong },
    { weight: 50, arbitrary: blank },
  ),
  {
    minLength: 19_000,
    maxLength: 21_000,
  },
);

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ windows: [{ kind: "complete" }], topN: 1000 });
});
afterAll(() => harness.close());

async function sendInChunks(bytes: Buffer, chunkSizes: number[]): Promise<void> {
  const socket = net.createConnection(harness.aggregator.intake.port, "127.0.0.1");
  await once(socket, "connect");
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = chunkSizes[i % chunkSizes.length] as number;
    if (!socket.write(bytes.subarray(offset, offset + size))) await once(socket, "drain");
    offset += size;
  }
  socket.end();
  await once(socket, "close");
}

describe("line intake under hostile input", () => {
  it("counts valid lines exactly and refuses each bad line once, over 100,000 lines", async () => {
    let expectedLines = 0;
    let expectedRejected = 0;
    let expectedLongTags = 0;
    const expectedCounts = new Map<string, number>();
    let totalLines = 0;

    // fc.sample rather than fc.assert: a failing case of 20,000 lines is too large to print usefully.
    const runs = fc.sample(fc.tuple(stream, fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 20 })), {
      numRuns: 5,
      seed: 20261121,
    });
    for (const [items, chunks] of runs) {
      for (const item of items) {
        if (item.kind === "valid") {
          expectedLines++;
          expectedLongTags += item.longTags ?? 0;
          for (const t of item.tags) expectedCounts.set(t, (expectedCounts.get(t) ?? 0) + 1);
        } else if (item.kind === "bad") expectedRejected++;
      }
      totalLines += items.length;
      await sendInChunks(Buffer.concat(items.map((i) => i.bytes)), chunks);

      const { snapshot } = harness.aggregator.tick();
      expect(snapshot.stats.lines).toBe(expectedLines);
      expect(snapshot.stats.rejected).toBe(expectedRejected);
      expect(harness.aggregator.stats.longTags).toBe(expectedLongTags);
      const counted = harness.aggregator.top("complete", 1000)?.top ?? [];
      const expectedTop = [...expectedCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 1000);
      expect(counted.map((e) => [e.tag, e.count])).toEqual(expectedTop);
      for (const [t, n] of expectedCounts) if (harness.aggregator.countsOf(t).windows.complete !== n) expect.fail(`${t}: expected ${n}`);
    }
    expect(totalLines).toBeGreaterThanOrEqual(95_000);
    // Still serving after all of it.
    const health = await fetch(`${harness.httpUrl}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);
});
