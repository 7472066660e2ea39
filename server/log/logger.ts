/**
 * Structured logs with pino. Pretty, coloured lines only when stdout is a terminal (or when asked
 * for with LOG_FORMAT=pretty); JSON otherwise, so that log shippers get one object a line.
 * Anything that looks like a credential is redacted: no token ever reaches a log line.
 */
import pino, { type Logger } from "pino";
import type { Config } from "../config/config.ts";

export type { Logger };

const REDACT = ["token", "accessToken", "*.token", "*.accessToken", "headers.authorization", "*.headers.authorization"];

export function createLogger(name: string, log: Config["log"]): Logger {
  const pretty = log.format === "pretty" || (log.format === "auto" && process.stdout.isTTY === true);
  return pino({
    name,
    level: log.level,
    redact: { paths: REDACT, censor: "[redacted]" },
    ...(pretty && {
      transport: {
        target: "pino-pretty",
        options: { colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname", messageKey: "msg" },
      },
    }),
  });
}
