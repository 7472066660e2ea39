/**
 * One call that starts the simulated server with generated traffic, for the demo command and for
 * anyone who wants a stand-alone fediverse on localhost.
 */
import type { DemoLogger } from "./demo-logger.ts";
import { startDemoTraffic, type DemoTraffic } from "./demo-traffic.ts";
import { startSimulatedMastodon, type SimulatedMastodon } from "./simulated-mastodon.ts";

export interface RunSimulatedMastodonOptions {
  /** REST port (0 = any free port). */
  readonly port: number;
  /** Streaming port (0 = any free port). */
  readonly streamingPort: number;
  /** The token to accept; random when omitted. */
  readonly token?: string;
  readonly postsPerSecond?: number;
  readonly seed?: number;
  readonly host?: string;
  readonly domain?: string;
  readonly logger?: DemoLogger;
}

export interface RunningSimulatedMastodon {
  readonly server: SimulatedMastodon;
  readonly traffic: DemoTraffic;
  /** Stops the traffic, then both servers. */
  close(): Promise<void>;
}

export async function runSimulatedMastodon(options: RunSimulatedMastodonOptions): Promise<RunningSimulatedMastodon> {
  const server = await startSimulatedMastodon({
    port: options.port,
    streamingPort: options.streamingPort,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const traffic = startDemoTraffic(server, {
    postsPerSecond: options.postsPerSecond ?? 20,
    seed: options.seed ?? 1,
  });
  options.logger?.info(
    { restUrl: server.restUrl, streamingUrl: server.streamingUrl, postsPerSecond: options.postsPerSecond ?? 20 },
    "simulated Mastodon publishing generated posts",
  );
  return {
    server,
    traffic,
    close: async () => {
      traffic.stop();
      await server.close();
    },
  };
}
