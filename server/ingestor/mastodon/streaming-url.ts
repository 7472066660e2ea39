/**
 * Where a server's streaming API lives, and the domain its own accounts belong to. The streaming
 * host may differ from the REST host (mastodon.social streams from streaming.mastodon.social), so
 * it is asked for: `GET /api/v2/instance` -> `configuration.urls.streaming` and `domain`, falling
 * back to v1's `urls.streaming_api` and `uri` on older servers.
 */
import { createRestAPIClient } from "masto";
import { httpStatus, networkFailure } from "./network-failure.ts";

export class StreamingUrlError extends Error {
  readonly code = "STREAMING_URL_UNKNOWN";
  /** The server could not be reached, or was briefly unwell: asking again later may work. */
  readonly transient: boolean;

  constructor(instanceUrl: string, options: { cause: unknown }) {
    const failure = networkFailure(options.cause);
    const status = httpStatus(options.cause);
    const busy = status !== undefined && (status === 429 || status >= 500);
    super(
      failure !== undefined
        ? `could not reach ${instanceUrl}: ${failure.description}`
        : busy
          ? `${instanceUrl} answered HTTP ${status} when asked for its streaming API`
          : `could not find the streaming API of ${instanceUrl}: is it a Mastodon server? (${(options.cause as Error).message}; MASTODON_STREAMING_URL skips discovery)`,
      options,
    );
    this.name = "StreamingUrlError";
    this.transient = failure?.transient ?? busy;
  }
}

export interface DiscoveredInstance {
  readonly streamingUrl: string;
  /** The domain in the `acct` of the server's own accounts (its LOCAL_DOMAIN). */
  readonly domain: string;
}

export async function discoverInstance(instanceUrl: string): Promise<DiscoveredInstance> {
  const rest = createRestAPIClient({ url: instanceUrl, timeout: 10_000 });
  try {
    const instance = await rest.v2.instance.fetch();
    return { streamingUrl: instance.configuration.urls.streaming, domain: instance.domain };
  } catch (v2Error) {
    // Unreachable is unreachable: the older endpoint would fail the same way.
    if (networkFailure(v2Error) !== undefined) throw new StreamingUrlError(instanceUrl, { cause: v2Error });
    try {
      const legacy = await rest.v1.instance.fetch();
      return { streamingUrl: legacy.urls.streamingApi, domain: legacy.uri };
    } catch {
      throw new StreamingUrlError(instanceUrl, { cause: v2Error });
    }
  }
}
