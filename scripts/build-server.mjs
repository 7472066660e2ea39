/**
 * Compiles the commands to plain JavaScript in dist/server, so that `npm start`, `serve`, `ingest`,
 * `demo`, `count` and `web` run on Node alone: no TypeScript loader in the process, a faster start and a
 * smaller resident set. One esbuild bundle per command, with code they share split into chunks and
 * every npm package left external (resolved from node_modules at run time, as in development).
 * Every command runs this first, so none runs stale code; it builds only when a source file changed
 * since the last build (their paths, sizes and modification times, kept in dist/server/.sources),
 * which it tells in a few milliseconds, and a build takes a fraction of a second. `--force` builds
 * anyway. Type checking is separate (`npm run typecheck`): esbuild only strips types.
 *
 * Source maps are written beside the bundles but not loaded by default: Node's
 * --enable-source-maps costs about 14 MB of resident memory in an idle `serve` (measured by the
 * start-up benchmark). Names are kept, so stack traces stay readable; for source positions run a
 * command with NODE_OPTIONS=--enable-source-maps.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

export const COMMANDS = ["start", "serve", "ingest", "demo", "count", "web"];
const SOURCES = ["server", "shared"];
const STAMP = "dist/server/.sources";

/** What the bundles are built from: every source file's path, size and modification time, and this script's. */
function sourcesNow() {
  const lines = [];
  const visit = (path) => {
    const stats = statSync(path);
    if (stats.isDirectory()) for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    else lines.push(`${path} ${stats.size} ${stats.mtimeMs}`);
  };
  for (const root of [...SOURCES, "scripts/build-server.mjs", "package-lock.json"]) visit(root);
  return lines.join("\n");
}

const sources = sourcesNow();
const built = existsSync(STAMP) && COMMANDS.every((name) => existsSync(`dist/server/${name}.js`)) ? readFileSync(STAMP, "utf8") : undefined;
if (built === sources && !process.argv.includes("--force")) process.exit(0);

// Chunk names carry content hashes: start from an empty folder so old chunks do not pile up.
rmSync("dist/server", { recursive: true, force: true });
await build({
  entryPoints: COMMANDS.map((name) => `server/cli/${name}.ts`),
  outdir: "dist/server",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  packages: "external",
  sourcemap: true,
  keepNames: true,
  logLevel: "warning",
});
writeFileSync(STAMP, sources);
