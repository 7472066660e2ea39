/**
 * Load generator for bounded memory: streams `distinct` different tags, each at least once (in a
 * scrambled order), mixed with Zipf draws (s = 1.1) over the same names, 1-5 tags a line. It knows
 * every exact count, so it answers with the exact top 20 for the precision check.
 */
import net from "node:net";
import { once } from "node:events";
import { childOptions, monotonicMs, onParent, tell } from "../support/child.ts";
import { createSeededRandom } from "../../server/demo/seeded-random.ts";
import { createZipfSampler } from "../../server/demo/zipf-sampler.ts";
import { nameArena } from "../support/zipf-corpus.ts";

interface Options {
  readonly distinct: number;
  readonly zipfDraws: number;
}

const { distinct, zipfDraws } = childOptions<Options>();
const names = nameArena(distinct);
const uniform = createSeededRandom(11).next;
const sampler = createZipfSampler(distinct, 1.1);
const zipf = (): number => sampler.rankFor(uniform());
const counts = new Uint32Array(distinct);
const CHUNK = 1 << 20;

/** A bijection of [0, distinct): stepping by a stride coprime with it visits every rank once. */
const stride = (() => {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let s = Math.floor(distinct * 0.618) | 1;
  while (gcd(s, distinct) !== 1) s += 2;
  return s;
})();

onParent("go", async (message) => {
  const socket = net.createConnection(Number(message.port), "127.0.0.1");
  await once(socket, "connect");
  const startedAt = monotonicMs();
  const total = distinct + zipfDraws;
  let unique = 0;
  let sent = 0;
  let lines = 0;
  while (sent < total) {
    const chunk = Buffer.allocUnsafe(CHUNK + 4096);
    let at = 0;
    while (at < CHUNK && sent < total) {
      const perLine = 1 + Math.floor(uniform() * 5);
      for (let i = 0; i < perLine && sent < total; i++, sent++) {
        // Unique names and Zipf draws in proportion, so both run out together.
        const rank = unique < distinct && uniform() * (total - sent) < distinct - unique ? (unique++ * stride) % distinct : zipf();
        counts[rank] = (counts[rank] as number) + 1;
        if (i > 0) chunk[at++] = 0x20;
        at += names.bytes.copy(chunk, at, names.offsets[rank], names.offsets[rank + 1]);
      }
      chunk[at++] = 0x0a;
      lines++;
    }
    if (!socket.write(chunk.subarray(0, at))) await once(socket, "drain");
  }
  socket.end();
  await once(socket, "close");
  const order = Array.from({ length: Math.min(distinct, 200_000) }, (_, r) => r).sort((a, b) => (counts[b] as number) - (counts[a] as number));
  const exact = order.slice(0, 20).map((r) => ({ tag: names.bytes.toString("latin1", names.offsets[r], names.offsets[r + 1]), count: counts[r] as number }));
  tell({ type: "sent", startedAt, finishedAt: monotonicMs(), tags: total, lines, exact });
});
onParent("stop", () => process.exit(0));
tell({ type: "ready" });
