/**
 * The import rules (.dependency-cruiser.cjs) as `npm run check:imports` runs them: each rule fires
 * on a small tree built to break it, by name and on exactly the imports that break it, and the
 * project's own tree breaks none.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CRUISER = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
/** The folders `npm run check:imports` cruises. */
const CHECKED = ["server", "shared", "web/src", "bench", "test"];

interface Violation {
  rule: string;
  from: string;
  to: string;
}

const run = promisify(execFile);

/** Runs the cruiser with its default report, as the npm script does; resolves with its exit code. */
async function exitCodeOf(cwd: string, paths: readonly string[]): Promise<number> {
  return run(process.execPath, [CRUISER, ...paths, "--config", CONFIG], { cwd }).then(
    () => 0,
    (error: { code: number }) => error.code,
  );
}

/** Runs the cruiser with a JSON report; resolves with its violations, sorted. */
async function violationsOf(cwd: string, paths: readonly string[]): Promise<Violation[]> {
  const args = [CRUISER, ...paths, "--config", CONFIG, "--output-type", "json"];
  const { stdout } = await run(process.execPath, args, { cwd, maxBuffer: 64 << 20 });
  const result = JSON.parse(stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return result.summary.violations
    .map(({ rule, from, to }) => ({ rule: rule.name, from, to }))
    .sort((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`));
}

// Inside the checkout (git-ignored), so that npm imports resolve against its node_modules.
mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
const fixture = mkdtempSync(join(ROOT, "test-artifacts", "import-rules-"));
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  }
}

describe("import rules", () => {
  it("names every import that breaks a rule, and only those", async () => {
    write({
      "tsconfig.json": JSON.stringify({
        compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", allowImportingTsExtensions: true, noEmit: true },
      }),
      // Allowed: the server and the web import the wire; the engine imports itself and shared/.
      "shared/wire.ts": 'import { PORT } from "../server/config/port.ts";\nexport const WIRE = PORT;\n',
      "server/config/port.ts": "export const PORT = 0;\n",
      "web/src/view.ts": 'import { PORT } from "../../server/config/port.ts";\nimport { WIRE } from "../../shared/wire.ts";\nexport const VIEW = PORT + WIRE;\n',
      // Two files of the engine that import each other.
      "server/aggregator/engine/window.ts": 'import { top } from "./top.ts";\nexport const window = () => top();\n',
      "server/aggregator/engine/top.ts":
        'import { window } from "./window.ts";\nimport { WIRE } from "../../../shared/wire.ts";\nexport const top = () => [window, WIRE];\n',
      // The engine reaching for a file, a timer, a WebSocket and the logger.
      "server/aggregator/engine/clock.ts": [
        'import { readFileSync } from "node:fs";',
        'import { setTimeout } from "node:timers/promises";',
        'import { WebSocket } from "ws";',
        'import { log } from "../../log/logger.ts";',
        "export const clock = [readFileSync, setTimeout, WebSocket, log];",
        "",
      ].join("\n"),
      "server/log/logger.ts": "export const log = 1;\n",
      // The ingestor and the aggregator importing each other (so their folders form a circle too).
      "server/ingestor/ingestor.ts": 'import { intake } from "../aggregator/intake.ts";\nexport const ingestor = intake;\n',
      "server/aggregator/intake.ts": "export const intake = 1;\n",
      "server/aggregator/lines.ts": 'import { ingestor } from "../ingestor/ingestor.ts";\nexport const lines = ingestor;\n',
      // A circle between folders through three files, none of which imports itself back.
      "server/http/app.ts": 'import { metrics } from "../metrics/metrics.ts";\nexport const app = metrics;\n',
      "server/metrics/metrics.ts": 'import { route } from "../http/route.ts";\nexport const metrics = route;\n',
      "server/http/route.ts": "export const route = 1;\n",
      // The cluster's wire reaching into a role; its import of the log is allowed.
      "server/nats/wire.ts": 'import { route } from "../http/route.ts";\nimport { log } from "../log/logger.ts";\nexport const wire = [route, log];\n',
      // A web node reaching past the snapshot contract into the aggregator, which imports it back.
      "server/web-node/relay.ts":
        'import { source } from "../aggregator/snapshot-source.ts";\nimport { intake } from "../aggregator/intake.ts";\nexport const relay = [source, intake];\n',
      "server/aggregator/snapshot-source.ts": "export const source = 1;\n",
      "server/aggregator/relayed.ts": 'import { relay } from "../web-node/relay.ts";\nexport const relayed = relay;\n',
      // An import nothing resolves.
      "server/http/missing.ts": 'import { gone } from "./gone.ts";\nexport const missing = gone;\n',
    });

    const paths = ["server", "shared", "web/src"];
    expect(await violationsOf(fixture, paths)).toEqual([
      { rule: "aggregator-not-web-node", from: "server/aggregator/relayed.ts", to: "server/web-node/relay.ts" },
      { rule: "engine-no-io-modules", from: "server/aggregator/engine/clock.ts", to: "fs" },
      { rule: "engine-no-io-modules", from: "server/aggregator/engine/clock.ts", to: "timers/promises" },
      // Resolved in the checkout's node_modules, two folders up from the tree.
      { rule: "engine-no-io-packages", from: "server/aggregator/engine/clock.ts", to: "../../node_modules/ws/wrapper.mjs" },
      { rule: "engine-only-engine-and-shared", from: "server/aggregator/engine/clock.ts", to: "server/log/logger.ts" },
      { rule: "ingestor-and-aggregator-apart", from: "server/aggregator/lines.ts", to: "server/ingestor/ingestor.ts" },
      { rule: "ingestor-and-aggregator-apart", from: "server/ingestor/ingestor.ts", to: "server/aggregator/intake.ts" },
      { rule: "nats-edge-serves-both", from: "server/nats/wire.ts", to: "server/http/route.ts" },
      // A circle is reported once, at the import that closes it.
      { rule: "no-circular-files", from: "server/aggregator/engine/top.ts", to: "server/aggregator/engine/window.ts" },
      // A circle of folders is reported from each folder in it.
      { rule: "no-circular-folders", from: "server/aggregator", to: "server/ingestor" },
      { rule: "no-circular-folders", from: "server/aggregator", to: "server/web-node" },
      { rule: "no-circular-folders", from: "server/http", to: "server/metrics" },
      { rule: "no-circular-folders", from: "server/ingestor", to: "server/aggregator" },
      { rule: "no-circular-folders", from: "server/metrics", to: "server/http" },
      { rule: "no-circular-folders", from: "server/web-node", to: "server/aggregator" },
      { rule: "not-to-unresolvable", from: "server/http/missing.ts", to: "./gone.ts" },
      { rule: "shared-imports-only-shared", from: "shared/wire.ts", to: "server/config/port.ts" },
      { rule: "web-node-only-the-snapshot-contract", from: "server/web-node/relay.ts", to: "server/aggregator/intake.ts" },
      { rule: "web-not-server", from: "web/src/view.ts", to: "server/config/port.ts" },
    ]);
    // One per error: what fails `npm run typecheck`.
    expect(await exitCodeOf(fixture, paths)).toBe(19);
  });

  it("finds nothing to refuse in the project's own tree", async () => {
    expect(await violationsOf(ROOT, CHECKED)).toEqual([]);
  });
});

/**
 * What no import shows: the globals through which code reads a clock, schedules work, or reaches
 * the process, the console or the network. The engine uses none of them; time is passed in.
 */
const IMPURE_GLOBALS = /\b(setTimeout|setInterval|setImmediate|queueMicrotask|Date\.now|new Date|performance\.now|process\.|console\.|fetch\()/g;

function impureGlobals(source: string): string[] {
  // Comments may name them (to say why not); code may not.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  return [...code.matchAll(IMPURE_GLOBALS)].map((match) => match[1] as string);
}

describe("the pure engine's globals", () => {
  it("finds a clock, a timer and the process in code, not in comments", () => {
    const source = [
      "/** Never Date.now() here. */",
      "const now = Date.now(); // not setTimeout",
      "setTimeout(() => process.exit(1), 5);",
      'const url = "http://example.org";',
    ].join("\n");
    expect(impureGlobals(source)).toEqual(["Date.now", "setTimeout", "process."]);
  });

  it("uses none in server/aggregator/engine/", () => {
    const engine = join(ROOT, "server/aggregator/engine");
    const files = readdirSync(engine).filter((name) => name.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((name) => impureGlobals(readFileSync(join(engine, name), "utf8")).map((global) => `${name}: ${global}`));
    expect(found).toEqual([]);
  });
});
