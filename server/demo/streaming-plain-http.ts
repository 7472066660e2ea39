/**
 * What the streaming server answers to ordinary HTTP requests: the health check load balancers
 * poll, and 404 for the rest (Mastodon's server-sent-events transport is not simulated).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const STREAMING_PATH = "/api/v1/streaming";

export function answerPlainRequest(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? "/", "http://streaming.invalid").pathname;
  if (request.method === "GET" && path === `${STREAMING_PATH}/health`) {
    response.writeHead(200, { "Content-Type": "text/plain" }).end("OK");
    return;
  }
  response.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "Not found" }));
}
