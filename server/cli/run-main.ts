/**
 * The lifecycle every command shares: read the config (a bad one prints every problem and exits
 * 2), start, then stop cleanly on SIGINT/SIGTERM and exit 0. The same signal a second time exits at
 * once (130).
 *
 * The other signal does not: a terminal's Ctrl-C reaches every process of its group, and `npm
 * start`'s supervisor passes it on as SIGTERM as well, so a child gets both at once for one request
 * to stop; taking the second as impatience would skip the aggregator's final checkpoint.
 */
import { commandHelp, type ConfigCommand } from "../config/config-help.ts";
import { ConfigError, helpRequested, readConfig, type Config } from "../config/config.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { StartupError } from "./startup-error.ts";

export type Stop = () => Promise<void>;

export async function runMain(name: ConfigCommand, start: (config: Config, log: Logger) => Promise<Stop>): Promise<void> {
  if (helpRequested()) {
    process.stdout.write(commandHelp(name));
    process.exit(0);
  }
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
  // Until started there is nothing to stop cleanly (the ingestor may still be waiting for its server).
  const stopWhileStarting = (): void => process.exit(0);
  process.once("SIGINT", stopWhileStarting);
  process.once("SIGTERM", stopWhileStarting);
  try {
    stop = await start(config, log);
  } catch (error) {
    if (error instanceof StartupError) {
      // A cause the user can fix from one line (a port in use): no stack.
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(1);
    }
    log.fatal({ err: error }, `${name} failed to start`);
    // Let the log transport flush before leaving.
    setTimeout(() => process.exit(1), 100);
    return;
  }
  let first: NodeJS.Signals | undefined;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      if (signal === first) process.exit(130);
      return;
    }
    first = signal;
    log.info({ signal }, "shutting down");
    stop().then(
      () => setTimeout(() => process.exit(0), 50),
      (error: unknown) => {
        log.error({ err: error }, "unclean shutdown");
        setTimeout(() => process.exit(1), 50);
      },
    );
  };
  process.off("SIGINT", stopWhileStarting);
  process.off("SIGTERM", stopWhileStarting);
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  // Under `npm start` the supervisor waits for this before starting the next process.
  if (process.send !== undefined) process.send("ready", () => process.disconnect());
}
