/**
 * The line socket between the ingestor and the aggregator: where it is, how much the ingestor
 * queues while the aggregator is away, and what the aggregator admits. Part of the one
 * configuration (config.ts), kept in its own file; config.ts merges these variables into its
 * schema and reports their problems with every other.
 *
 * The socket accepts lines that change every screen's counts, so it listens on loopback unless
 * told otherwise, and anywhere else only with INGEST_TOKEN: then every connection must start with
 * `AUTH <token>` (shared/line-protocol.ts).
 */
import { BlockList, isIP } from "node:net";
import { z } from "zod";
import { byteSize, duration, port, positiveInt } from "./variable-types.ts";

/** The ingestor's queue for an absent aggregator, by bytes: a few minutes of a busy server's posts. */
export const DEFAULT_QUEUE_BYTES = 64 * 1024 ** 2;

export const lineSocketVariables = {
  INGEST_HOST: z.string().default("127.0.0.1"),
  INGEST_PORT: port(9876),
  INGEST_QUEUE_LINES: positiveInt(100_000, 10_000_000),
  INGEST_QUEUE_BYTES: byteSize("INGEST_QUEUE_BYTES", { min: 1024, max: 8 * 1024 ** 3, text: "1KiB and 8GiB" }).default(DEFAULT_QUEUE_BYTES),
  INGEST_MAX_CONNECTIONS: positiveInt(64, 10_000),
  INGEST_IDLE_TIMEOUT: duration("INGEST_IDLE_TIMEOUT", { min: 1000, max: 86_400_000, text: "1s and 1 day" }).default(300_000),
  // A line of the protocol is one write of the ingestor: any real sender finishes it in milliseconds.
  INGEST_LINE_TIMEOUT: duration("INGEST_LINE_TIMEOUT", { min: 100, max: 3_600_000, text: "100ms and 1 hour" }).default(30_000),
  // Sent as one word on the first line, and long enough that guessing it is hopeless.
  INGEST_TOKEN: z
    .string()
    .min(16, { error: "INGEST_TOKEN: at least 16 characters (e.g. `openssl rand -hex 24`)" })
    .regex(/^[\x21-\x7e]+$/, { error: "INGEST_TOKEN: printable ASCII characters only, no spaces" })
    .optional(),
};

type LineSocketVariables = z.infer<z.ZodObject<typeof lineSocketVariables>>;

export interface LineSocketSettings {
  /** The aggregator binds it, the ingestor connects to it (with `--listen`, the ingestor binds it). */
  readonly host: string;
  readonly port: number;
  /** Most lines the ingestor keeps while the aggregator is away; beyond, the oldest are dropped. */
  readonly queueLines: number;
  /** Most bytes of lines the ingestor keeps while the aggregator is away; beyond, the oldest are dropped. */
  readonly queueBytes: number;
  /** Most ingest connections the aggregator holds at once; more are refused at once. */
  readonly maxConnections: number;
  /** The aggregator closes a connection that has sent nothing for this long. */
  readonly idleTimeoutMs: number;
  /** The aggregator closes a connection that holds a started line this long without finishing it. */
  readonly lineTimeoutMs: number;
  /** Required as `AUTH <token>` at the start of every connection, when set. Never logged. */
  readonly token: string | undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** True for `localhost` and loopback addresses; a name that could resolve anywhere is not. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? "ipv4" : "ipv6");
}

/** The settings, once each variable is valid; problems between variables are pushed. */
export function lineSocketSettings(values: LineSocketVariables, problems: string[]): LineSocketSettings {
  if (!isLoopbackHost(values.INGEST_HOST) && values.INGEST_TOKEN === undefined) {
    problems.push(
      `INGEST_HOST ${values.INGEST_HOST} is not a loopback address: set INGEST_TOKEN too, so that only your ingestors can send lines`,
    );
  }
  return {
    host: values.INGEST_HOST,
    port: values.INGEST_PORT,
    queueLines: values.INGEST_QUEUE_LINES,
    queueBytes: values.INGEST_QUEUE_BYTES,
    maxConnections: values.INGEST_MAX_CONNECTIONS,
    idleTimeoutMs: values.INGEST_IDLE_TIMEOUT,
    lineTimeoutMs: values.INGEST_LINE_TIMEOUT,
    token: values.INGEST_TOKEN,
  };
}
