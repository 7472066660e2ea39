/** The aggregator's WebSocket endpoint on the page's own origin, `wss:` when the page is `https:`. */
export function snapshotSocketUrl(location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}
