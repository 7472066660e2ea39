/**
 * Answers a refused WebSocket upgrade the way Mastodon's streaming server does: it writes a bare
 * HTTP response by hand on the raw socket (no body, the reason in `X-Error-Message`) and then
 * destroys the socket.
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

export function refuseUpgrade(socket: Duplex, status: number, message: string, requestId: string): void {
  const headers: ReadonlyArray<readonly [string, string]> = [
    ["Connection", "close"],
    ["Content-Type", "text/plain"],
    ["Content-Length", "0"],
    ["X-Request-Id", requestId],
    ["X-Error-Message", message],
  ];
  const head = headers.map(([name, value]) => `${name}: ${value}`).join("\r\n");
  socket.once("finish", () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n${head}\r\n\r\n`);
}
