/**
 * Latency probe: writes lines to the line socket at a fixed rate and listens on the WebSocket. Each
 * snapshot says how many lines it counts (`stats.lines`); a line written at w is first counted by
 * the first frame f whose count reaches it, and f - w is its latency. Writes and frames are timed
 * in this one process, so no clocks are compared across processes.
 */
import net from "node:net";
import { once } from "node:events";
import { WebSocket } from "ws";
import { childOptions, monotonicMs, onParent, tell } from "../support/child.ts";
import { loadCorpus, type CorpusSpec } from "../support/zipf-corpus.ts";

interface Options {
  readonly corpus: CorpusSpec;
  readonly linesPerSecond: number;
  readonly seconds: number;
}

const options = childOptions<Options>();
const corpus = loadCorpus(options.corpus);
/** Byte offset just past each line, to write whole lines. */
const lineEnds: number[] = [];
for (let at = corpus.bytes.indexOf(0x0a); at !== -1 && lineEnds.length < options.linesPerSecond * options.seconds; at = corpus.bytes.indexOf(0x0a, at + 1)) {
  lineEnds.push(at + 1);
}

onParent("go", async (message) => {
  const frames: Array<{ at: number; lines: number }> = [];
  const ws = new WebSocket(String(message.wsUrl));
  ws.on("message", (data) => {
    const at = monotonicMs();
    const parsed = JSON.parse(String(data)) as { type: string; stats?: { lines: number } };
    if (parsed.stats !== undefined) frames.push({ at, lines: parsed.stats.lines });
  });
  await once(ws, "open");
  const socket = net.createConnection(Number(message.ingestPort), "127.0.0.1");
  socket.setNoDelay(true);
  await once(socket, "connect");

  const writes: Array<{ at: number; lines: number }> = [];
  const started = monotonicMs();
  let written = 0;
  while (written < lineEnds.length) {
    const due = Math.min(lineEnds.length, Math.floor(((monotonicMs() - started) / 1000) * options.linesPerSecond));
    if (due > written) {
      socket.write(corpus.bytes.subarray(written === 0 ? 0 : lineEnds[written - 1], lineEnds[due - 1]));
      written = due;
      writes.push({ at: monotonicMs(), lines: written });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const deadline = monotonicMs() + 10_000;
  while ((frames.at(-1)?.lines ?? 0) < written && monotonicMs() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  socket.destroy();
  ws.close();

  const gaveUpAt = monotonicMs();
  // Latency of each write, weighted by the lines it carried. A line no frame counted before the
  // probe gave up is charged the time until then: a lower bound, reported as such.
  const latencies: number[] = [];
  const weights: number[] = [];
  let frame = 0;
  let previous = 0;
  let uncounted = 0;
  for (const write of writes) {
    while (frame < frames.length && ((frames[frame] as { lines: number }).lines < write.lines || (frames[frame] as { at: number }).at < write.at)) frame++;
    const counted = frames[frame];
    if (counted === undefined) uncounted += write.lines - previous;
    latencies.push(counted === undefined ? gaveUpAt - write.at : counted.at - write.at);
    weights.push(write.lines - previous);
    previous = write.lines;
  }
  tell({ type: "done", latencies, weights, uncounted, lines: written, seconds: (writes.at(-1)?.at ?? started) / 1000 - started / 1000 });
});
onParent("stop", () => process.exit(0));
tell({ type: "ready", lines: lineEnds.length });
