/**
 * `npm run demo`: the simulated Mastodon server alone, with generated traffic, for pointing any
 * client (the ingestor, masto, curl) at a fediverse on localhost.
 */
import { runSimulatedMastodon } from "../demo/run-simulated-mastodon.ts";
import { runMain } from "./run-main.ts";
import { listenExplained } from "./startup-error.ts";

await runMain("demo", async (config, log) => {
  const { port, rate, seed, token: pinned } = config.demoServer;
  const running = await listenExplained(
    () =>
      runSimulatedMastodon({
        port,
        streamingPort: port === 0 ? 0 : port + 1,
        postsPerSecond: rate,
        seed,
        ...(pinned !== undefined && { token: pinned }),
        logger: log,
      }),
    port,
    "DEMO_PORT",
    "demo-port",
  );
  const { restUrl, streamingUrl, token } = running.server;
  // The token is printed on purpose: it is a throwaway for this local server, and the way to use it.
  // Random at each start unless DEMO_TOKEN pins it, so that a separate ingestor survives a restart.
  process.stdout.write(
    `\nSimulated Mastodon server\n  REST       ${restUrl}\n  streaming  ${streamingUrl}/api/v1/streaming\n  token      ${token}\n\n` +
      `Follow it with:\n  MASTODON_URL=${restUrl} MASTODON_TOKEN=${token} npm run ingest\n` +
      (pinned === undefined ? `(the token changes at every start; set DEMO_TOKEN to keep one)\n\n` : "\n"),
  );
  return () => running.close();
});
