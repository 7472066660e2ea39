/** Many WebSocket clients in one process: connects them all, then counts the frames they receive. */
import { WebSocket } from "ws";
import { childOptions, onParent, tell } from "../support/child.ts";

const { url, clients } = childOptions<{ url: string; clients: number }>();
const sockets: WebSocket[] = [];
let frames = 0;
let open = 0;

const connectOne = (): Promise<void> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on("open", () => {
      open++;
      resolve();
    });
    ws.on("error", reject);
    ws.on("message", () => frames++);
    sockets.push(ws);
  });

// A few hundred handshakes in flight at once: fast, without flooding the listen backlog.
for (let at = 0; at < clients; at += 200) {
  await Promise.all(Array.from({ length: Math.min(200, clients - at) }, connectOne));
}
tell({ type: "connected", open });
onParent("frames", () => tell({ type: "frames", frames, open }));
onParent("stop", () => {
  for (const ws of sockets) ws.terminate();
  process.exit(0);
});
