/**
 * The ingest socket's door when the aggregator has an INGEST_TOKEN: the first line of a connection
 * must be `AUTH <token>`, compared in constant time. Until it has come, nothing the connection
 * sends is counted; any other first line, a first line the splitter refuses, or silence past the
 * deadline closes the connection as `unauthorised`. The token is never logged nor echoed.
 */
import { parseAuthLine } from "../../../shared/line-protocol.ts";
import { tokenMatcher } from "../../security/token-matcher.ts";

/** How long a new connection has to authenticate when a token is required. */
export const DEFAULT_AUTH_TIMEOUT_MS = 10_000;

export type AuthState = "awaiting" | "open" | "refused";

export class IngestAuth {
  readonly #matches: ((presented: string) => boolean) | undefined;

  constructor(token: string | undefined) {
    this.#matches = token === undefined ? undefined : tokenMatcher(token);
  }

  /** Where a new connection starts: open at once when no token is required. */
  get initialState(): AuthState {
    return this.#matches === undefined ? "open" : "awaiting";
  }

  /** True when `firstLine` is `AUTH` with the right token. */
  accepts(firstLine: string): boolean {
    const presented = parseAuthLine(firstLine);
    return presented !== undefined && this.#matches !== undefined && this.#matches(presented);
  }
}
