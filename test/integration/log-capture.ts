/** A pino logger that keeps every entry, so tests can assert what was logged. */
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

export interface CapturedLog {
  readonly log: Logger;
  readonly entries: Array<Record<string, unknown>>;
  /** The entries with this message. */
  withMessage(msg: string): Array<Record<string, unknown>>;
}

export function captureLog(): CapturedLog {
  const entries: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") entries.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "debug" }, sink), entries, withMessage: (msg) => entries.filter((entry) => entry.msg === msg) };
}
