/**
 * Start-up and idle memory of `npm run serve`: from the command to `/healthz` answering, and the
 * resident memory of its Node processes five seconds later (less at the smaller sizes). tagstream runs compiled JavaScript
 * (esbuild's bundle; the command checks that it is up to date and builds it when a source changed,
 * here it is built once beforehand, as after the first start); the baseline is the same server run
 * from its TypeScript sources through tsx, as the commands ran before, measured in the same run
 * (tsx keeps its transforms in a cache, so after the first of its starts it transforms nothing
 * either). npm's own start (the same for both) is left out: the commands are what `npm run serve`
 * executes.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../test/support/free-port.ts";
import { bySize, percentile, type Figure, type Scenario } from "../support/figure.ts";
import { treeRssBytes } from "../support/process-tree.ts";

const COMPILED = "node scripts/build-server.mjs && exec node dist/server/serve.js";
const FROM_SOURCE = "exec node_modules/.bin/tsx server/cli/serve.ts";

interface Run {
  readonly startMs: number;
  readonly idleRssMb: number;
}

async function startOnce(command: string, idleAfterMs: number): Promise<Run> {
  const stateDir = mkdtempSync(join(tmpdir(), "tagstream-start-up-"));
  const [httpPort, ingestPort] = [await freePort(), await freePort()];
  const started = performance.now();
  const child = spawn("sh", ["-c", command], {
    env: { ...process.env, HTTP_PORT: String(httpPort), INGEST_PORT: String(ingestPort), STATE_DIR: stateDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${httpPort}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(5);
    }
    const startMs = performance.now() - started;
    await sleep(idleAfterMs);
    return { startMs, idleRssMb: treeRssBytes(child.pid as number) / 2 ** 20 };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(undefined)));
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function median(command: string, runs: number, idleAfterMs: number): Promise<Run> {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await startOnce(command, idleAfterMs));
  return {
    startMs: percentile(results.map((r) => r.startMs), 50),
    idleRssMb: percentile(results.map((r) => r.idleRssMb), 50),
  };
}

export const startUp: Scenario = {
  name: "start-up",
  title: "npm run serve: start-up time and idle memory, compiled against tsx",
  async run({ size, progress }): Promise<Figure[]> {
    const runs = bySize(size, { smoke: 1, quick: 1, full: 3 });
    const idleAfterMs = bySize(size, { smoke: 200, quick: 1000, full: 5000 });
    execFileSync(process.execPath, ["scripts/build-server.mjs"], { stdio: "inherit" });
    progress("compiled (dist/server)");
    const compiled = await median(COMPILED, runs, idleAfterMs);
    progress("from source through tsx");
    const source = await median(FROM_SOURCE, runs, idleAfterMs);
    const note = `median of ${runs} starts, a fresh STATE_DIR each`;
    return [
      {
        scenario: "start-up",
        metric: "serve: command to /healthz",
        unit: "ms",
        value: compiled.startMs,
        higherIsBetter: false,
        baselines: [{ name: "tsx", value: source.startMs }],
        notes: [note],
      },
      {
        scenario: "start-up",
        metric: `serve: idle RSS ${idleAfterMs / 1000} s after start`,
        unit: "MB",
        value: compiled.idleRssMb,
        higherIsBetter: false,
        baselines: [{ name: "tsx (with its relay process)", value: source.idleRssMb }],
        target: 90,
      },
    ];
  },
};
