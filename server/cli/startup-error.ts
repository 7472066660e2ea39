/**
 * A start that failed for a reason the user fixes from one plain line, such as a port already in
 * use. run-main.ts prints the message alone (no stack) and exits 1.
 */
export class StartupError extends Error {
  readonly code: string;

  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StartupError";
    this.code = code;
  }
}

/** Runs `listen`; a port in use (or not permitted) becomes a StartupError naming the port and the variable. */
export async function listenExplained<T>(listen: () => Promise<T>, port: number, variable: string, flag: string): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The port that failed, when the start listens on more than one (the demo's streaming port is the next one).
    port = (error as { port?: number }).port ?? port;
    if (code === "EADDRINUSE") {
      throw new StartupError(`port ${port} is already in use (${variable}); stop what uses it, or choose another port with ${variable} or --${flag}`, code, { cause: error });
    }
    if (code === "EACCES") {
      throw new StartupError(`not permitted to listen on port ${port} (${variable}); choose a port above 1023 with ${variable} or --${flag}`, code, { cause: error });
    }
    if (code === "EADDRNOTAVAIL") {
      throw new StartupError(`cannot listen on port ${port} (${variable}): the address is not one of this machine's`, code, { cause: error });
    }
    throw error;
  }
}
