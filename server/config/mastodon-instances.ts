/**
 * The Mastodon servers to follow: `MASTODON_URL` lists one or more, comma-separated, and each gets
 * its token from `MASTODON_TOKEN_<HOST>` when that is set, else from `MASTODON_TOKEN`. `<HOST>` is
 * the URL's host (and port) in capitals, every other character an underscore:
 * `https://mastodon.social` -> `MASTODON_TOKEN_MASTODON_SOCIAL`, `http://127.0.0.1:4000` ->
 * `MASTODON_TOKEN_127_0_0_1_4000`.
 */

export interface MastodonInstance {
  /** `https://host[:port]`, without a trailing slash. */
  readonly url: string;
  /** `host[:port]`: how logs and the dashboard name the server until it names itself. */
  readonly host: string;
  readonly token: string | undefined;
  /** Set only when configured: skips discovery. */
  readonly streamingUrl: string | undefined;
}

const TOKEN_PREFIX = "MASTODON_TOKEN_";

export function tokenVariable(host: string): string {
  return `${TOKEN_PREFIX}${host.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The URLs of a comma-separated list; every problem is pushed, in the order written. */
export function parseInstanceUrls(text: string, problems: string[]): URL[] {
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  const urls: URL[] = [];
  for (const part of parts) {
    const url = URL.canParse(part) ? new URL(part) : undefined;
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      problems.push(parts.length === 1 ? "MASTODON_URL must be an http(s) URL" : `MASTODON_URL: "${part}" is not an http(s) URL`);
    } else if (urls.some((known) => known.host === url.host)) {
      problems.push(`MASTODON_URL: ${url.host} is listed twice`);
    } else {
      urls.push(url);
    }
  }
  if (parts.length === 0) problems.push("MASTODON_URL must list at least one server");
  return urls;
}

export interface InstanceSources {
  /** Every configuration variable after layering, dynamic names included. */
  readonly variables: Readonly<Record<string, string>>;
  readonly defaultToken: string | undefined;
  readonly streamingUrl: string | undefined;
  /** Tokens matter only for a live run: not for the demo, not for a replay. */
  readonly tokensRequired: boolean;
}

export function resolveInstances(urls: readonly URL[], sources: InstanceSources, problems: string[]): MastodonInstance[] {
  const named = new Set(urls.map((url) => tokenVariable(url.host)));
  for (const variable of Object.keys(sources.variables)) {
    if (variable.startsWith(TOKEN_PREFIX) && !named.has(variable)) {
      problems.push(`${variable} names no server of MASTODON_URL (expected one of ${[...named].join(", ")})`);
    }
  }
  if (sources.streamingUrl !== undefined && urls.length > 1) {
    problems.push("MASTODON_STREAMING_URL can only be used with a single server in MASTODON_URL");
  }
  return urls.map((url) => {
    const token = sources.variables[tokenVariable(url.host)] ?? sources.defaultToken;
    if (token === undefined && sources.tokensRequired) {
      problems.push(`no token for ${url.host}: set ${tokenVariable(url.host)} or MASTODON_TOKEN (README: "Getting a Mastodon token")`);
    }
    return { url: `${url.protocol}//${url.host}`, host: url.host, token, streamingUrl: sources.streamingUrl };
  });
}

/** True when any token is configured at all: without one the product runs its demo. */
export function anyTokenConfigured(variables: Readonly<Record<string, string>>): boolean {
  return Object.keys(variables).some((variable) => variable === "MASTODON_TOKEN" || variable.startsWith(TOKEN_PREFIX));
}
