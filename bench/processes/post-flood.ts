/**
 * Load generator for the checkpoint scenario: `posts` posts as JSON lines with ids (three new tags
 * each, so the aggregator remembers every one), then plain lines of five new tags each until
 * `distinct` different tags were sent; then, until stopped, a trickle of `trickle` posts a second
 * over the same names, so that checkpoints are taken while counting goes on.
 */
import net from "node:net";
import { once } from "node:events";
import { childOptions, onParent, tell } from "../support/child.ts";

interface Options {
  readonly distinct: number;
  readonly posts: number;
  readonly trickle: number;
}

const { distinct, posts, trickle } = childOptions<Options>();
const name = (rank: number): string => `t${rank.toString(36)}`;
const postLine = (n: number, tags: readonly string[]): string =>
  `${JSON.stringify({ tags, ts: 1_732_190_000_000 + n, id: `https://bench.example/users/u${n % 9973}/statuses/${100_000_000_000 + n}` })}\n`;

let stopped = false;
onParent("go", async (message) => {
  const socket = net.createConnection(Number(message.port), "127.0.0.1");
  await once(socket, "connect");
  let rank = 0;
  let batch = "";
  const flush = async (): Promise<void> => {
    if (!socket.write(batch)) await once(socket, "drain");
    batch = "";
  };
  for (let n = 0; n < posts; n++) {
    batch += postLine(n, [name(rank++), name(rank++), name(rank++)]);
    if (batch.length > 1 << 20) await flush();
  }
  while (rank < distinct) {
    const tags: string[] = [];
    for (let i = 0; i < 5 && rank < distinct; i++) tags.push(name(rank++));
    batch += `${tags.join(" ")}\n`;
    if (batch.length > 1 << 20) await flush();
  }
  await flush();
  tell({ type: "sent", tags: rank });
  let n = posts;
  while (!stopped && trickle > 0) {
    const started = Date.now();
    for (let i = 0; i < trickle / 10; i++, n++) batch += postLine(n, [name(n % distinct), name((n * 7) % distinct)]);
    await flush();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - started))));
  }
  socket.end();
});
onParent("stop", () => {
  stopped = true;
  process.exit(0);
});
tell({ type: "ready" });
