/**
 * Failures that reconnecting cannot fix: the server refused the token, or refused the subscription
 * itself. The ingestor stops with one message that names the cause and the fix.
 */
import { tokenVariable } from "../../config/mastodon-instances.ts";

/**
 * How the refusal came: an HTTP status on the upgrade, or an error frame on an open connection,
 * whose `status` field is the server's label for it, not a status any HTTP response carried.
 */
export type Refusal = { readonly via: "upgrade"; readonly status: number } | { readonly via: "frame"; readonly status: number | undefined };

export class MastodonAuthError extends Error {
  readonly code = "MASTODON_AUTH_REFUSED";
  readonly status: number | undefined;

  constructor(instanceUrl: string, refusal: Refusal, serverMessage: string | undefined, options?: ErrorOptions) {
    const host = new URL(instanceUrl).host;
    const what = refusal.via === "upgrade" ? `HTTP ${refusal.status}` : "the server refused the subscription";
    const cause = serverMessage === undefined ? what : `${what}: ${serverMessage}`;
    super(
      `${host} refused the access token (${cause}). ` +
        `Create a user access token with the read:statuses scope at ${instanceUrl}/settings/applications/new ` +
        `(Preferences → Development → New application), then set it as ${tokenVariable(host)} or MASTODON_TOKEN.`,
      options,
    );
    this.name = "MastodonAuthError";
    this.status = refusal.status;
  }
}

export class MastodonSubscriptionError extends Error {
  readonly code = "MASTODON_SUBSCRIPTION_REFUSED";

  constructor(instanceUrl: string, stream: string, serverMessage: string, options?: ErrorOptions) {
    super(`${new URL(instanceUrl).host} refused the subscription to ${stream}: ${serverMessage}. Check MASTODON_STREAM.`, options);
    this.name = "MastodonSubscriptionError";
  }
}
