/**
 * The lifecycle every command shares: read the config (a bad one prints every problem and exits
 * 2), start, then stop cleanly on SIGINT/SIGTERM and exit 0. A second signal exits at once.
 */
import { ConfigError, readConfig, type Config } from "../config/config.ts";
import { createLogger, type Logger } from "../log/logger.ts";

export type Stop = () => Promise<void>;

export async function runMain(name: string, start: (config: Config, log: Logger) => Promise<Stop>): Promise<void> {
  let config: Config;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
  const log = createLogger(name, config.log);
  let stop: Stop;
  try {
    stop = await start(config, log);
  } catch (error) {
    log.fatal({ err: error }, `${name} failed to start`);
    // Let the log transport flush before leaving.
    setTimeout(() => process.exit(1), 100);
    return;
  }
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    log.info({ signal }, "shutting down");
    stop().then(
      () => setTimeout(() => process.exit(0), 50),
      (error: unknown) => {
        log.error({ err: error }, "unclean shutdown");
        setTimeout(() => process.exit(1), 50);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
