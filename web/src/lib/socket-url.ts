/**
 * Where the dashboard takes its snapshots from: the page's own server, or the servers its URL lists
 * (`?servers=web1:3000,web2:3000`, shared/server-list.ts), `wss:` when the page is `https:`.
 */
import { parseServerList, socketUrlOf, type ServerList } from "../../../shared/server-list.ts";

/** What of the page's `location` says where it came from (named here: the server's type check has no DOM). */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
  readonly search: string;
}

/** The aggregator's WebSocket endpoint on the page's own origin. */
export function snapshotSocketUrl(location: Pick<PageLocation, "protocol" | "host">): string {
  return socketUrlOf(location.host, location.protocol === "https:");
}

export interface SnapshotSocketUrls {
  readonly urls: readonly string[];
  /** What the page should say about its URL's `servers`: entries it left out, and why. */
  readonly notices: readonly string[];
}

/** The socket URLs to try in turn: those of `?servers=` when it names any usable server, else the page's own. */
export function snapshotSocketUrls(location: PageLocation): SnapshotSocketUrls {
  const text = new URLSearchParams(location.search).get("servers");
  if (text === null) return { urls: [snapshotSocketUrl(location)], notices: [] };
  const { servers, refused }: ServerList = parseServerList(text);
  const notices = refused.length === 0 ? [] : [`servers: left out ${refused.map((entry) => `“${entry}”`).join(", ")} (host or host:port only).`];
  if (servers.length === 0) return { urls: [snapshotSocketUrl(location)], notices: [...notices, "servers names no usable server: using this page's own."] };
  return { urls: servers.map((server) => socketUrlOf(server, location.protocol === "https:")), notices };
}
