/**
 * Where a server's streaming API lives, and the domain its own accounts belong to. The streaming
 * host may differ from the REST host (mastodon.social streams from streaming.mastodon.social), so
 * it is asked for: `GET /api/v2/instance` -> `configuration.urls.streaming` and `domain`, falling
 * back to v1's `urls.streaming_api` and `uri` on older servers.
 */
import { createRestAPIClient } from "masto";

export class StreamingUrlError extends Error {
  readonly code = "STREAMING_URL_UNKNOWN";

  constructor(instanceUrl: string, options: { cause: unknown }) {
    super(`could not find the streaming API of ${instanceUrl}: is it a Mastodon server? (MASTODON_STREAMING_URL skips discovery)`, options);
    this.name = "StreamingUrlError";
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
    try {
      const legacy = await rest.v1.instance.fetch();
      return { streamingUrl: legacy.urls.streamingApi, domain: legacy.uri };
    } catch {
      throw new StreamingUrlError(instanceUrl, { cause: v2Error });
    }
  }
}
