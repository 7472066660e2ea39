/**
 * Where the ingestor's lines go: the aggregator (LineSender, a client that queues while the
 * aggregator is away) or whoever connects to the ingestor's own port (LineServer, `--listen`).
 */
export interface LineOutputStats {
  readonly sent: number;
  /** Lines lost: queue overflow, no reader, or a reader too slow to keep up. */
  readonly dropped: number;
  readonly queued: number;
  readonly connected: boolean;
  /** Lines written on connections that then failed: they may or may not have been read. */
  readonly unconfirmed?: number;
}

export interface LineOutput {
  /** One line, newline included. */
  send(line: string): void;
  /** Sends only if someone is connected now, never queued: for figures that the next report replaces. */
  sendIfConnected(line: string): void;
  readonly stats: LineOutputStats;
  close(): Promise<void>;
}
