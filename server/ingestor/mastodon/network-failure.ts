/**
 * What went wrong when a server could not be reached, in words a user can act on, and whether
 * trying again later may help. Node's fetch hides the cause one or two levels down
 * (`TypeError: fetch failed` -> `Error: connect ECONNREFUSED ...`), masto wraps it again.
 */

export interface NetworkFailure {
  /** E.g. "connection refused (ECONNREFUSED)". */
  readonly description: string;
  /** The server or the network may come back: retrying is worth it. */
  readonly transient: boolean;
}

const TRANSIENT_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "DNS lookup failed: no such host",
  EAI_AGAIN: "DNS lookup failed for now",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection lost",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection lost",
};

function* causes(error: unknown): Generator<{ name?: string; message?: string; code?: unknown; statusCode?: unknown }> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    yield current as never;
    current = (current as { cause?: unknown }).cause;
  }
}

/** The failure, or undefined when the error is not about reaching the server (an answer came). */
export function networkFailure(error: unknown): NetworkFailure | undefined {
  for (const cause of causes(error)) {
    const code = typeof cause.code === "string" ? cause.code : undefined;
    if (code !== undefined && code in TRANSIENT_CODES) return { description: `${TRANSIENT_CODES[code]} (${code})`, transient: true };
    if (code !== undefined && /CERT|TLS|SSL/.test(code)) return { description: `TLS failure (${code})`, transient: false };
    if (cause.name === "MastoTimeoutError" || cause.name === "TimeoutError") return { description: "no answer in time (timeout)", transient: true };
    // The fetch standard's blocked ports (1, 7, 9, 25, ...): no request is even attempted.
    if (cause.message === "bad port") return { description: "fetch refuses this port (a blocked port such as 1, 25 or 6000): use another port", transient: false };
  }
  return undefined;
}

/** HTTP status of a refusal by the server, when masto got one. */
export function httpStatus(error: unknown): number | undefined {
  for (const cause of causes(error)) if (typeof cause.statusCode === "number") return cause.statusCode;
  return undefined;
}
