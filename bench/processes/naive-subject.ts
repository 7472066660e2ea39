/**
 * The naive baseline as a server: a TCP line socket counted with `split` + `Map`, and, when asked, a
 * trigger that fully sorts the keys and sends the top N as JSON to every WebSocket client.
 */
import net from "node:net";
import { once } from "node:events";
import { WebSocketServer } from "ws";
import { childOptions, onParent, tell } from "../support/child.ts";
import { NaiveCounter } from "../support/naive-counter.ts";
import { serveProbes } from "../support/subject-probes.ts";

interface Options {
  /** Trigger interval of the WebSocket broadcast; no WebSocket server without it. */
  readonly triggerMs?: number;
  readonly topN?: number;
}

const options = childOptions<Options>();
const counter = new NaiveCounter();
const server = net.createServer((socket) => socket.on("data", (chunk: Buffer) => counter.push(chunk)));
server.listen(0, "127.0.0.1");
await once(server, "listening");

let httpPort = 0;
let wss: WebSocketServer | undefined;
if (options.triggerMs !== undefined) {
  const ws = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(ws, "listening");
  httpPort = (ws.address() as net.AddressInfo).port;
  let epoch = 0;
  setInterval(() => {
    epoch++;
    const json = JSON.stringify({ type: "snapshot", epoch, stats: { lines: counter.lines, tags: counter.tags }, top: counter.top(options.topN ?? 20) });
    for (const client of ws.clients) client.send(json);
  }, options.triggerMs);
  wss = ws;
}

serveProbes(() => counter.tags);
onParent("stop", () => {
  wss?.close();
  server.close();
  process.exit(0);
});
tell({ type: "ready", ingestPort: (server.address() as net.AddressInfo).port, httpPort });
