/**
 * Failures that reconnecting cannot fix: the server refused the token, or refused the subscription
 * itself. The ingestor stops with one message that names the cause and the fix.
 */
import { tokenVariable } from "../../config/mastodon-instances.ts";

export class MastodonAuthError extends Error {
  readonly code = "MASTODON_AUTH_REFUSED";
  readonly status: number;

  constructor(instanceUrl: string, status: number, serverMessage: string | undefined, options?: ErrorOptions) {
    const host = new URL(instanceUrl).host;
    const cause = serverMessage === undefined ? `HTTP ${status}` : `HTTP ${status}: ${serverMessage}`;
    super(
      `${host} refused the access token (${cause}). ` +
        `Create a user access token with the read:statuses scope at ${instanceUrl}/settings/applications/new ` +
        `(Preferences → Development → New application), then set it as ${tokenVariable(host)} or MASTODON_TOKEN.`,
      options,
    );
    this.name = "MastodonAuthError";
    this.status = status;
  }
}

export class MastodonSubscriptionError extends Error {
  readonly code = "MASTODON_SUBSCRIPTION_REFUSED";

  constructor(instanceUrl: string, stream: string, serverMessage: string, options?: ErrorOptions) {
    super(`${new URL(instanceUrl).host} refused the subscription to ${stream}: ${serverMessage}. Check MASTODON_STREAM.`, options);
    this.name = "MastodonSubscriptionError";
  }
}
