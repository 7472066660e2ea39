/**
 * `npm run ingest`: follows a Mastodon stream and writes one line per post to the aggregator.
 * Without MASTODON_TOKEN (or with --demo) it first starts the built-in simulated Mastodon server
 * in this process and follows that one, through the same masto client and sockets as a live run.
 */
import { runSimulatedMastodon } from "../demo/run-simulated-mastodon.ts";
import { startIngestor, type MastodonTarget } from "../ingestor/ingestor.ts";
import { runMain } from "./run-main.ts";

await runMain("ingest", async (config, log) => {
  let target: MastodonTarget;
  let demo: Awaited<ReturnType<typeof runSimulatedMastodon>> | undefined;
  if (config.demo) {
    demo = await runSimulatedMastodon({
      port: 0,
      streamingPort: 0,
      postsPerSecond: config.demoServer.rate,
      seed: config.demoServer.seed,
      logger: log.child({ component: "simulated-mastodon" }),
    });
    log.warn("DEMO MODE: no MASTODON_TOKEN set; streaming from the built-in simulated Mastodon server");
    target = {
      instanceUrl: demo.server.restUrl,
      token: demo.server.token,
      source: "demo",
      instanceName: demo.server.domain,
    };
  } else {
    target = {
      instanceUrl: config.mastodon.url,
      token: config.mastodon.token ?? "",
      streamingUrl: config.mastodon.streamingUrl,
      source: "live",
    };
  }
  const ingestor = await startIngestor({ target, config, log });
  return async () => {
    await ingestor.stop();
    await demo?.close();
  };
});
