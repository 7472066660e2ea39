/**
 * The REST side of the simulated server: only the discovery documents a streaming client needs.
 * Unknown routes answer 404 with Mastodon's JSON error body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { closeServer, listen } from "./listening.ts";
import { instanceV1, instanceV2, type InstanceFacts } from "./instance-entity.ts";

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      // The Mastodon API allows any origin, which lets a browser page read it too.
      "Access-Control-Allow-Origin": "*",
    })
    .end(JSON.stringify(body));
}

export class RestEndpoint {
  private server: Server | undefined;
  private boundPort: number;

  constructor(
    private readonly host: string,
    port: number,
    private readonly facts: () => InstanceFacts,
  ) {
    this.boundPort = port;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((request, response) => this.onRequest(request, response));
    this.boundPort = await listen(server, this.host, this.boundPort);
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await closeServer(server);
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? "/", "http://rest.invalid").pathname;
    if (request.method !== "GET") {
      sendJson(response, 404, { error: "Record not found" });
    } else if (path === "/api/v2/instance") {
      sendJson(response, 200, instanceV2(this.facts()));
    } else if (path === "/api/v1/instance") {
      sendJson(response, 200, instanceV1(this.facts()));
    } else if (path === "/health") {
      response.writeHead(200, { "Content-Type": "text/plain" }).end("OK");
    } else {
      sendJson(response, 404, { error: "Record not found" });
    }
  }
}
