/**
 * Where a server's streaming API lives. It may differ from the REST host (mastodon.social streams
 * from streaming.mastodon.social), so it is asked for: `GET /api/v2/instance` ->
 * `configuration.urls.streaming`, falling back to v1's `urls.streaming_api` on older servers.
 */
import { createRestAPIClient } from "masto";

export class StreamingUrlError extends Error {
  constructor(instanceUrl: string, options: { cause: unknown }) {
    super(`could not find the streaming API of ${instanceUrl}: set MASTODON_STREAMING_URL to skip discovery`, options);
    this.name = "StreamingUrlError";
  }
}

export async function discoverStreamingUrl(instanceUrl: string): Promise<string> {
  const rest = createRestAPIClient({ url: instanceUrl, timeout: 10_000 });
  try {
    const instance = await rest.v2.instance.fetch();
    return instance.configuration.urls.streaming;
  } catch (v2Error) {
    try {
      const legacy = await rest.v1.instance.fetch();
      return legacy.urls.streamingApi;
    } catch {
      throw new StreamingUrlError(instanceUrl, { cause: v2Error });
    }
  }
}
