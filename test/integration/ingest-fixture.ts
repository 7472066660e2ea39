/**
 * What the ingestor's integration tests share: simulated servers and an ingestor wired to them
 * with small timings, every socket on port 0, and everything closed after each test.
 */
import { afterEach } from "vitest";
import type { Snapshot } from "../../shared/messages.ts";
import { startSimulatedMastodon, type SimulatedMastodon, type SimulatedMastodonOptions } from "../../server/demo/simulated-mastodon.ts";
import { startIngestor, type Ingestor, type IngestorOptions, type MastodonTarget } from "../../server/ingestor/ingestor.ts";
import { startHarness, type Harness, type HarnessOptions } from "../support/aggregator-harness.ts";
import { silentLogger } from "../support/silent-logger.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs after the current test, in reverse order of registration. */
export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function simulatedMastodon(options: SimulatedMastodonOptions = {}): Promise<SimulatedMastodon> {
  const server = await startSimulatedMastodon(options);
  onCleanup(() => server.close());
  return server;
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(options);
  onCleanup(() => h.close());
  return h;
}

export const target = (server: SimulatedMastodon): MastodonTarget => ({ instanceUrl: server.restUrl, token: server.token });

/**
 * An ingestor following `servers` and writing to the aggregator on `ingestPort`; unless told not to,
 * resolves once every server has its subscription.
 */
export async function ingestor(
  servers: readonly SimulatedMastodon[],
  ingestPort: number,
  options: Partial<IngestorOptions> = {},
  { subscribed = true } = {},
): Promise<Ingestor> {
  const started = await startIngestor({
    input: { kind: "live", targets: servers.map(target), stream: { kind: "public" }, source: "demo" },
    output: { kind: "aggregator", host: "127.0.0.1", port: ingestPort, queueLines: 1000 },
    backoff: { baseMs: 20, capMs: 200 },
    reportEveryMs: 0,
    statsEveryMs: 0,
    log: silentLogger,
    ...options,
  });
  onCleanup(() => started.stop());
  if (subscribed) await Promise.all(servers.map((server) => server.waitForSubscription(["public"])));
  return started;
}

export { waitUntil } from "../support/wait-until.ts";

/** Ticks (each a real trigger) until the snapshot satisfies `done`. */
export async function tickUntil(h: Harness, done: (snapshot: Snapshot) => boolean, timeoutMs = 5000): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { snapshot } = h.aggregator.tick();
    if (done(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`snapshot condition not met within ${timeoutMs} ms; stats ${JSON.stringify(snapshot.stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Tag -> count of one window of a snapshot. */
export function countsIn(snapshot: Snapshot, window = "complete"): Record<string, number> {
  const top = snapshot.windows.find((w) => w.window === window)?.top ?? [];
  return Object.fromEntries(top.map((entry) => [entry.tag, entry.count]));
}
