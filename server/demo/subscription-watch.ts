/**
 * Lets tests wait until a client has really subscribed: masto sends its subscribe frame only once
 * iteration starts and the socket is open, so publishing before that would lose the event.
 */
import { SubscriptionWaitTimeoutError } from "./streaming-errors.ts";

interface Waiter {
  readonly stream: readonly string[];
  readonly resolve: () => void;
  readonly timer: NodeJS.Timeout;
}

const sameStream = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((part, index) => part === b[index]);

export class SubscriptionWatch {
  private waiters = new Set<Waiter>();
  private current: Array<readonly string[]> = [];

  changed(subscriptions: Array<readonly string[]>): void {
    this.current = subscriptions;
    for (const waiter of this.waiters) {
      if (!subscriptions.some((stream) => sameStream(stream, waiter.stream))) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** Resolves once some socket is subscribed to exactly this `stream` array, e.g. ["public"]. */
  waitFor(stream: readonly string[], timeoutMs: number): Promise<void> {
    if (this.current.some((existing) => sameStream(existing, stream))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new SubscriptionWaitTimeoutError(stream, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter = { stream, resolve, timer };
      this.waiters.add(waiter);
    });
  }
}
