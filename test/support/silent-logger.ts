import pino from "pino";

/** A logger that writes nothing, for tests that exercise code which logs. */
export const silentLogger = pino({ level: "silent" });
