/**
 * Load generator for the cluster scenario: the same post lines (the Zipf corpus's lines as JSON post
 * lines, each with its own uri) through the ingestor's two outputs, and JetStream's own ceiling for
 * this client, each timed from the first line to the last acknowledgement (or the last line read):
 * - `publisher`: the StreamPublisher, msg ids, acks pipelined, into a stream of `replicas` copies;
 * - `ceiling`: bare js.publish of small messages with the same number in flight, no ids;
 * - `tcp`: the LineSender to the scenario's line reader on `port`.
 */
import { jetstream } from "@nats-io/jetstream";
import { encodeTagLine } from "../../shared/line-protocol.ts";
import type { NatsSettings } from "../../server/config/nats-settings.ts";
import { LineSender } from "../../server/ingestor/output/line-sender.ts";
import { StreamPublisher } from "../../server/nats/stream-publisher.ts";
import { clusterSubjects } from "../../server/nats/cluster-wire.ts";
import { connectNats } from "../../server/nats/nats-connection.ts";
import { ensureStream } from "../../server/nats/stream-setup.ts";
import { silentLogger } from "../../test/support/silent-logger.ts";
import { childOptions, monotonicMs, onParent, tell } from "../support/child.ts";
import { loadCorpus, type CorpusSpec } from "../support/zipf-corpus.ts";

interface Options {
  readonly corpus: CorpusSpec;
  readonly servers: readonly string[];
  readonly maxInFlight: number;
}

const { corpus: spec, servers, maxInFlight } = childOptions<Options>();
const corpus = loadCorpus(spec);
const lines: string[] = [];
for (const [index, text] of corpus.bytes.toString("latin1").split("\n").entries()) {
  if (text !== "") lines.push(encodeTagLine({ tags: text.split(" "), id: `https://bench.example/statuses/${index}`, ts: 1_700_000_000_000 + index }));
}
const QUEUE = { maxQueueLines: lines.length + 1, maxQueueBytes: 8 * 1024 ** 3 };

function settingsFor(stream: string, replicas: number): NatsSettings {
  return { servers, stream, replicas, duplicateWindowMs: 120_000, epochGraceMs: 500, maxAgeMs: 3_600_000, auth: {} };
}

async function throughPublisher(stream: string, replicas: number): Promise<{ startedAt: number; finishedAt: number; counters: object }> {
  const settings = settingsFor(stream, replicas);
  const connection = await connectNats(settings, "bench-publisher", silentLogger);
  await ensureStream(connection, settings);
  const publisher = new StreamPublisher(connection, { subject: clusterSubjects(stream).posts, ...QUEUE, maxInFlight }, silentLogger);
  const startedAt = monotonicMs();
  for (const line of lines) publisher.send(line);
  await publisher.settled();
  const finishedAt = monotonicMs();
  const counters = publisher.counters;
  await publisher.close();
  await connection.close();
  return { startedAt, finishedAt, counters };
}

async function ceiling(stream: string, replicas: number, messages: number): Promise<{ startedAt: number; finishedAt: number }> {
  const settings = settingsFor(stream, replicas);
  const connection = await connectNats(settings, "bench-ceiling", silentLogger);
  await ensureStream(connection, settings);
  const js = jetstream(connection);
  const subject = clusterSubjects(stream).posts;
  const payload = "ab cd ef";
  let inFlight = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const settle = (): void => {
    inFlight--;
    wake?.();
  };
  const startedAt = monotonicMs();
  for (let n = 0; n < messages; n++) {
    while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    js.publish(subject, payload).then(settle, (error: unknown) => {
      failure = error;
      settle();
    });
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  const finishedAt = monotonicMs();
  if (failure !== undefined) throw failure;
  await connection.close();
  return { startedAt, finishedAt };
}

onParent("go", async (message) => {
  if (message.mode === "publisher") {
    tell({ type: "done", ...(await throughPublisher(String(message.stream), Number(message.replicas))) });
  } else if (message.mode === "ceiling") {
    tell({ type: "done", ...(await ceiling(String(message.stream), Number(message.replicas), lines.length)) });
  } else {
    const sender = new LineSender({ host: "127.0.0.1", port: Number(message.port), ...QUEUE }, silentLogger);
    const startedAt = monotonicMs();
    for (const line of lines) sender.send(line);
    tell({ type: "sending", startedAt });
    onParent("close", async () => {
      await sender.close();
      tell({ type: "closed" });
    });
  }
});
onParent("stop", () => process.exit(0));
tell({ type: "ready", lines: lines.length, tags: corpus.tags });
