/**
 * A screen's list of servers to take snapshots from, `?servers=web1:3000,web2:3000`: the screen
 * connects to the first and, whenever its connection drops or cannot be made, to the next (after
 * the last, the first again), waiting the usual capped, jittered backoff before each attempt. So a
 * screen whose web node dies is back on another one within a second, and gets its latest snapshot
 * at once.
 *
 * Each entry is a host name, an IPv4 address or a bracketed IPv6 address, with an optional port;
 * nothing else (no scheme, path or user): the page picks ws: or wss: as its own scheme is, and the
 * server allows exactly these origins in the page's Content-Security-Policy, so the one parser
 * here serves both sides.
 */

/** Most servers one list may name; the rest are refused. */
export const MAX_SERVERS = 16;

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST_AND_PORT = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]{2,45}\\])(?::(\\d{1,5}))?$`);

export interface ServerList {
  /** The usable entries, in order, each once, lower case. */
  readonly servers: readonly string[];
  /** What was left out, as given. */
  readonly refused: readonly string[];
}

/** Reads a comma-separated list; never throws. */
export function parseServerList(text: string): ServerList {
  const servers: string[] = [];
  const refused: string[] = [];
  for (const part of text.split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const match = HOST_AND_PORT.exec(entry);
    const port = match?.[1];
    const usable = match !== null && (port === undefined || (Number(port) >= 1 && Number(port) <= 65_535)) && entry.length <= 260;
    if (!usable || servers.length >= MAX_SERVERS) {
      refused.push(entry);
      continue;
    }
    const server = entry.toLowerCase();
    if (!servers.includes(server)) servers.push(server);
  }
  return { servers, refused };
}

/** The snapshot socket of `server`, over TLS when the page itself came over TLS. */
export function socketUrlOf(server: string, secure: boolean): string {
  return `${secure ? "wss" : "ws"}://${server}/ws`;
}

/** The HTTP origin of the server whose snapshot socket is `socketUrl`: where its REST API is. */
export function apiOriginOf(socketUrl: string): string {
  const url = new URL(socketUrl);
  return `${url.protocol === "wss:" ? "https:" : "http:"}//${url.host}`;
}

/** Which server to try: the current one until it fails, then the next, round the list. */
export class ServerRotation {
  readonly #urls: readonly string[];
  #index = 0;

  constructor(urls: readonly string[]) {
    if (urls.length === 0) throw new Error("a server rotation needs at least one server");
    this.#urls = urls;
  }

  get current(): string {
    return this.#urls[this.#index] as string;
  }

  /** The current one failed: moves on to the next, and returns it. */
  next(): string {
    this.#index = (this.#index + 1) % this.#urls.length;
    return this.current;
  }
}
