/**
 * Ingest through JetStream on a local 3-node cluster the scenario starts itself: post lines per
 * second (and their hashtags) that the ingestor's StreamPublisher gets acknowledged, each with its
 * message id and acks pipelined, into an R1 and an R3 stream; beside them, in the same run and from
 * the same lines, the TCP socket path (the LineSender to a reader that counts lines) and JetStream's
 * own ceiling for this client (small messages, the same number of acks in flight, no ids).
 */
import net from "node:net";
import { once } from "node:events";
import { natsServerBinary, NATS_SERVER_MISSING, startNatsCluster } from "../../test/support/nats-cluster.ts";
import { monotonicMs, startChild, type Message } from "../support/child.ts";
import { bySize, type BenchSize, type Figure, type Scenario, type ScenarioContext } from "../support/figure.ts";
import type { CorpusSpec } from "../support/zipf-corpus.ts";

const MAX_IN_FLIGHT = 512;

function corpusFor(size: BenchSize): CorpusSpec {
  return { distinct: 100_000, exponent: 1.1, tags: bySize(size, { smoke: 3_000, quick: 150_000, full: 1_500_000 }), seed: 2 };
}

type Timed = Message & {
  readonly startedAt: number;
  readonly finishedAt: number;
};

/** Lines per second from the first line sent to the last one the reader has. */
async function overTcp(flood: ReturnType<typeof startChild>, lines: number): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  let read = 0;
  const finished = new Promise<number>((resolve) =>
    server.on("connection", (socket) =>
      socket.on("data", (chunk: Buffer) => {
        for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) read++;
        if (read === lines) resolve(monotonicMs());
      }),
    ),
  );
  try {
    const { startedAt } = await flood.ask<Timed>({ type: "go", mode: "tcp", port: (server.address() as net.AddressInfo).port }, "sending");
    const finishedAt = await finished;
    await flood.ask({ type: "close" }, "closed");
    return lines / ((finishedAt - startedAt) / 1000);
  } finally {
    server.close();
  }
}

async function perSecond(flood: ReturnType<typeof startChild>, request: object, lines: number): Promise<number> {
  const { startedAt, finishedAt } = await flood.ask<Timed>({ type: "go", ...request }, "done");
  return lines / ((finishedAt - startedAt) / 1000);
}

export const clusterIngest: Scenario = {
  name: "cluster",
  title: "Ingest through JetStream (local 3-node cluster), acks awaited",
  async run({ size, progress }: ScenarioContext): Promise<Figure[]> {
    if (natsServerBinary() === undefined) throw new Error(NATS_SERVER_MISSING);
    const spec = corpusFor(size);
    const cluster = await startNatsCluster();
    const flood = startChild("cluster-publish-flood.ts", { corpus: spec, servers: cluster.urls, maxInFlight: MAX_IN_FLIGHT });
    try {
      const { lines, tags } = await flood.next<{ type: string; lines: number; tags: number }>("ready");
      const tagsPerLine = tags / lines;
      progress(`${lines.toLocaleString()} post lines (${tags.toLocaleString()} tags), ${MAX_IN_FLIGHT} acks in flight`);
      const tcp = await overTcp(flood, lines);
      const measured = [];
      for (const replicas of [1, 3]) {
        progress(`R${replicas}: StreamPublisher, then JetStream's ceiling`);
        const publisher = await perSecond(flood, { mode: "publisher", stream: `BENCH_R${replicas}`, replicas }, lines);
        const ceiling = await perSecond(flood, { mode: "ceiling", stream: `BENCH_CEILING_R${replicas}`, replicas }, lines);
        measured.push({ replicas, publisher, ceiling });
      }
      return measured.map(({ replicas, publisher, ceiling }) => ({
        scenario: "cluster",
        metric: `posts published per second with acks, JetStream R${replicas}`,
        unit: "k/s",
        value: publisher / 1e3,
        higherIsBetter: true,
        baselines: [
          { name: "TCP socket", value: tcp / 1e3 },
          { name: `JetStream ceiling R${replicas}`, value: ceiling / 1e3, note: "(small messages, no ids)" },
        ],
        notes: [
          `hashtags per second: ${((publisher * tagsPerLine) / 1e3).toFixed(1)} k/s through JetStream, ${((tcp * tagsPerLine) / 1e3).toFixed(1)} k/s over TCP (${tagsPerLine.toFixed(2)} tags a post)`,
        ],
      }));
    } finally {
      await flood.stop();
      await cluster.stop();
    }
  },
};
