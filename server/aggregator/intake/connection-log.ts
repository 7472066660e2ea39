/**
 * The intake's log of connections opening and closing, throttled: the first few of each interval
 * are logged one by one, the rest are counted and summed up in one line when the interval ends.
 * A peer that connects thousands of times a second (a reconnect loop, a scan) then costs a line a
 * minute, not two lines a connection, while a quiet deployment still sees every connection.
 */
import type { Logger } from "../../log/logger.ts";

export interface ConnectionLogOptions {
  /** Opens (and, separately, closes) logged one by one per interval. */
  readonly detailed: number;
  /** Length of an interval, and the period of the summary. */
  readonly intervalMs: number;
}

export const DEFAULT_CONNECTION_LOG: ConnectionLogOptions = { detailed: 10, intervalMs: 60_000 };

export class ConnectionLog {
  readonly #log: Logger;
  readonly #options: ConnectionLogOptions;
  #opened = 0;
  #closed = 0;
  #openedQuietly = 0;
  #closedQuietly = 0;

  constructor(log: Logger, options: ConnectionLogOptions = DEFAULT_CONNECTION_LOG) {
    this.#log = log;
    this.#options = options;
  }

  opened(peer: string): void {
    if (++this.#opened <= this.#options.detailed) this.#log.info({ peer }, "ingest connection opened");
    else this.#openedQuietly++;
  }

  closed(peer: string): void {
    if (++this.#closed <= this.#options.detailed) this.#log.info({ peer }, "ingest connection closed");
    else this.#closedQuietly++;
  }

  /** Ends the interval: one summary line if anything went unlogged, then a fresh interval. */
  flush(open: number): void {
    if (this.#openedQuietly > 0 || this.#closedQuietly > 0) {
      this.#log.info(
        { opened: this.#opened, closed: this.#closed, notLogged: this.#openedQuietly + this.#closedQuietly, open, intervalMs: this.#options.intervalMs },
        "ingest connections (too many to log one by one)",
      );
    }
    this.#opened = this.#closed = this.#openedQuietly = this.#closedQuietly = 0;
  }
}
