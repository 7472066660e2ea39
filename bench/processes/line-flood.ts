/** Load generator: writes the whole Zipf corpus to the line socket as fast as TCP takes it. */
import net from "node:net";
import { once } from "node:events";
import { childOptions, monotonicMs, onParent, tell } from "../support/child.ts";
import { loadCorpus, type CorpusSpec } from "../support/zipf-corpus.ts";

const { corpus: spec } = childOptions<{ corpus: CorpusSpec }>();
const corpus = loadCorpus(spec);
const SLICE = 1 << 20;

onParent("go", async (message) => {
  const socket = net.createConnection(Number(message.port), "127.0.0.1");
  socket.setNoDelay(true);
  await once(socket, "connect");
  const startedAt = monotonicMs();
  for (let at = 0; at < corpus.bytes.length; at += SLICE) {
    if (!socket.write(corpus.bytes.subarray(at, at + SLICE))) await once(socket, "drain");
  }
  socket.end();
  await once(socket, "close");
  tell({ type: "sent", startedAt, finishedAt: monotonicMs(), lines: corpus.lines, tags: corpus.tags, bytes: corpus.bytes.length });
});
onParent("stop", () => process.exit(0));
tell({ type: "ready", lines: corpus.lines, tags: corpus.tags, bytes: corpus.bytes.length });
