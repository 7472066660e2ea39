/**
 * Where the streaming server finds the access token of an upgrade request, in the real server's
 * order of precedence (`accountFromRequest` in streaming/index.js): the `Authorization` header
 * wins; otherwise the `access_token` query parameter, otherwise the raw `Sec-WebSocket-Protocol`
 * header (masto 7 sends the token there). A present but wrong token is not retried elsewhere.
 */
import type { IncomingMessage } from "node:http";

import { StreamAuthenticationError } from "./streaming-errors.ts";

export function tokenFromUpgrade(request: IncomingMessage, query: URLSearchParams): string {
  const authorization = request.headers.authorization;
  // `||` on purpose: an empty query parameter falls through to the header, as in the original.
  const fromQueryOrProtocol = query.get("access_token") || request.headers["sec-websocket-protocol"];
  if (!authorization && !fromQueryOrProtocol) {
    throw new StreamAuthenticationError("Missing access token");
  }
  return authorization ? authorization.replace(/^Bearer /, "") : (fromQueryOrProtocol ?? "");
}

/** Throws the refusal the real server sends when the token matches no live user token. */
export function authenticateUpgrade(
  request: IncomingMessage,
  query: URLSearchParams,
  acceptedToken: string,
): void {
  if (tokenFromUpgrade(request, query) !== acceptedToken) {
    throw new StreamAuthenticationError("Invalid access token");
  }
}
