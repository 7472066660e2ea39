/**
 * The streaming server's keep-alive (streaming/index.js): every period each client is pinged at
 * the protocol level, and a client that has not answered the previous ping is terminated. No
 * application-level heartbeat exists on the WebSocket transport.
 */
import type { StreamingSession } from "./streaming-session.ts";

/** Returns the function that stops the heartbeat. */
export function startHeartbeat(
  sessions: ReadonlySet<StreamingSession>,
  intervalMs: number,
  isSilent: () => boolean,
): () => void {
  const timer = setInterval(() => {
    // A silent server is stuck: it neither pings nor notices that peers are gone.
    if (isSilent()) return;
    for (const session of sessions) {
      if (!session.isAlive) {
        session.socket.terminate();
        continue;
      }
      session.isAlive = false;
      session.socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
