/**
 * The two refusals Mastodon's streaming server knows (streaming/errors.js): a request error
 * answers 400, an authentication error 401. Their messages are the ones clients see, either in
 * the `X-Error-Message` header of a refused upgrade or in an `{"error","status"}` frame.
 */

export class StreamRequestError extends Error {
  readonly status = 400;
  readonly code = "STREAM_REQUEST_INVALID";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StreamRequestError";
  }
}

export class StreamAuthenticationError extends Error {
  readonly status = 401;
  readonly code = "STREAM_AUTHENTICATION_FAILED";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StreamAuthenticationError";
  }
}

/** Raised by the test hook that waits for a client to subscribe. */
export class SubscriptionWaitTimeoutError extends Error {
  readonly code = "SUBSCRIPTION_WAIT_TIMEOUT";

  constructor(stream: readonly string[], timeoutMs: number) {
    super(`no client subscribed to ${JSON.stringify(stream)} within ${timeoutMs} ms`);
    this.name = "SubscriptionWaitTimeoutError";
  }
}
