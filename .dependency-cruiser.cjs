/**
 * Which way imports may point (README "Project layout" and "Tests"). `npm run check:imports`
 * runs it on server/, shared/, web/src/ and bench/; `npm run typecheck` runs it too, and
 * test/architecture/import-rules.test.ts proves each rule fires on a small tree that breaks it.
 *
 * Type-only imports count: a circle or a wrong-way import through types still ties the modules
 * together for a reader, and the contract belongs to one side.
 */

/** Node's modules that reach outside the process or schedule work: no place in the pure engine. */
const IO_MODULES = [
  "fs",
  "fs/promises",
  "net",
  "tls",
  "http",
  "https",
  "http2",
  "dgram",
  "dns",
  "child_process",
  "cluster",
  "worker_threads",
  "timers",
  "timers/promises",
  "readline",
  "process",
  "os",
];
const ioModulePattern = `^(node:)?(${IO_MODULES.join("|").replaceAll("/", "\\/")})$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular-files",
      severity: "error",
      comment: "A circle between files: move what both need into one of them, or into a file of its own.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-circular-folders",
      severity: "error",
      comment: "A circle between folders: the producer (or shared/) owns the contract its consumers import.",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "shared-imports-only-shared",
      severity: "error",
      comment: "shared/ is the wire, used by server and web: it imports neither.",
      from: { path: "^shared/" },
      to: { path: "^(server|web|bench|test)/" },
    },
    {
      name: "web-not-server",
      severity: "error",
      comment: "The web app meets the server only on the wire, whose types live in shared/.",
      from: { path: "^web/" },
      to: { path: "^(server|bench|test)/" },
    },
    {
      name: "ingestor-and-aggregator-apart",
      severity: "error",
      comment: "The ingestor and the aggregator meet only on the line socket (or the stream): its contract is in shared/ and server/nats/.",
      from: { path: "^server/(ingestor|aggregator)/" },
      to: { path: "^server/(ingestor|aggregator)/", pathNot: "^server/$1/" },
    },
    {
      name: "nats-edge-serves-both",
      severity: "error",
      comment: "server/nats/ is the cluster's wire and connection, used by every role: it imports none of them.",
      from: { path: "^server/nats/" },
      to: { path: "^server/(ingestor|aggregator|http|cli|web-node)/" },
    },
    {
      name: "web-node-only-the-snapshot-contract",
      severity: "error",
      comment: "A web node relays snapshots and holds no counts: of the aggregator it knows only the contract it serves (snapshot-source.ts).",
      from: { path: "^server/web-node/" },
      to: { path: "^server/aggregator/", pathNot: "^server/aggregator/snapshot-source\\.ts$" },
    },
    {
      name: "aggregator-not-web-node",
      severity: "error",
      comment: "The aggregator knows nothing of the nodes that relay its snapshots.",
      from: { path: "^server/aggregator/" },
      to: { path: "^server/web-node/" },
    },
    {
      name: "engine-only-engine-and-shared",
      severity: "error",
      comment: "The counting engine is pure: it imports no intake, clock, logger or config, only itself and the wire types.",
      from: { path: "^server/aggregator/engine/" },
      to: { dependencyTypes: ["local"], pathNot: "^(server/aggregator/engine|shared)/" },
    },
    {
      name: "engine-no-io-modules",
      severity: "error",
      comment: "The counting engine is pure: no sockets, files, timers or processes.",
      from: { path: "^server/aggregator/engine/" },
      to: { dependencyTypes: ["core"], path: ioModulePattern },
    },
    {
      name: "engine-no-io-packages",
      severity: "error",
      comment: "The counting engine is pure: no web server, WebSocket, logger or metrics.",
      from: { path: "^server/aggregator/engine/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import the cruiser cannot resolve would escape every rule above.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".svelte", ".json"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
