/**
 * The slice of a pino logger the simulator uses; a pino instance satisfies it. Omitted loggers
 * mean silence, so tests need not pass one.
 */
export interface DemoLogger {
  debug(details: object, message?: string): void;
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
}

const ignore = (): void => {};

export const silentLogger: DemoLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
