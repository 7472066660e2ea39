/**
 * Load generator: the Zipf corpus's lines as JSON posts with an author and an event time,
 * `{"tags":[...],"acct":"…","ts":…}`, the same tags line for line, written to the line socket as fast
 * as TCP takes them. Authors are Zipf over `accounts` names on 500 servers; times are spread over the
 * second from `datedFrom` (after the subject started, so that no post is older than its windows).
 * No `id` or `lang`: what accounts and event time cost, not the post memory or the language tops.
 */
import net from "node:net";
import { once } from "node:events";
import { createSeededRandom } from "../../server/demo/seeded-random.ts";
import { createZipfSampler } from "../../server/demo/zipf-sampler.ts";
import { childOptions, monotonicMs, onParent, tell } from "../support/child.ts";
import { loadCorpus, type CorpusSpec } from "../support/zipf-corpus.ts";

interface Options {
  readonly corpus: CorpusSpec;
  readonly accounts: number;
  readonly datedFrom: number;
}

const { corpus: spec, accounts, datedFrom } = childOptions<Options>();
const corpus = loadCorpus(spec);
const SLICE = 1 << 20;

function postLines(): Buffer {
  const uniform = createSeededRandom(spec.seed + 1).next;
  const authors = createZipfSampler(accounts, 0.9);
  const names = Array.from({ length: accounts }, (_, i) => JSON.stringify(`user${i}@server${i % 500}.example`));
  const parts: Buffer[] = [];
  let batch = "";
  let line = 0;
  const text = corpus.bytes.toString("latin1");
  for (let start = 0; start < text.length; line++) {
    const end = text.indexOf("\n", start);
    const tags = text.slice(start, end).split(" ");
    const ts = datedFrom + Math.floor((line * 1000) / corpus.lines);
    batch += `{"tags":${JSON.stringify(tags)},"acct":${names[authors.rankFor(uniform())] as string},"ts":${ts}}\n`;
    if (batch.length > SLICE) {
      parts.push(Buffer.from(batch, "latin1"));
      batch = "";
    }
    start = end + 1;
  }
  parts.push(Buffer.from(batch, "latin1"));
  return Buffer.concat(parts);
}

const bytes = postLines();

onParent("go", async (message) => {
  const socket = net.createConnection(Number(message.port), "127.0.0.1");
  socket.setNoDelay(true);
  await once(socket, "connect");
  const startedAt = monotonicMs();
  for (let at = 0; at < bytes.length; at += SLICE) {
    if (!socket.write(bytes.subarray(at, at + SLICE))) await once(socket, "drain");
  }
  socket.end();
  await once(socket, "close");
  tell({ type: "sent", startedAt, finishedAt: monotonicMs(), lines: corpus.lines, tags: corpus.tags, bytes: bytes.length });
});
onParent("stop", () => process.exit(0));
tell({ type: "ready", lines: corpus.lines, tags: corpus.tags, bytes: bytes.length });
