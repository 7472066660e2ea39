/**
 * `npm start`: the whole product. Two processes joined by the TCP line socket: `serve` (aggregator
 * and web) and `ingest` (Mastodon stream, or the built-in simulated one without a token).
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { commandHelp } from "../config/config-help.ts";
import { ConfigError, helpRequested, readConfig } from "../config/config.ts";
import { superviseChildren } from "./child-supervisor.ts";

const args = process.argv.slice(2);
if (helpRequested(args)) {
  process.stdout.write(commandHelp("start"));
  process.exit(0);
}
let config;
try {
  config = readConfig(args);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`start: ${error.message}\n`);
  process.exit(2);
}

const tty = process.stdout.isTTY === true;
if (config.demo && config.replay === undefined) {
  const banner = [
    "",
    "  ━━ DEMO MODE ━━ no MASTODON_TOKEN is set.",
    "  Posts come from the built-in simulated Mastodon server, not from a real one.",
    "  To stream a real server, set MASTODON_TOKEN (README: \"Getting a Mastodon token\").",
    "",
  ].join("\n");
  process.stdout.write(tty ? `\x1b[1;33m${banner}\x1b[0m\n` : `${banner}\n`);
}

// Children's stdout is a pipe: "auto" (the config's default) would give JSON there, so it becomes
// what it means for our own stdout. A format the operator chose reaches them as it is.
const logFormat = config.log.format === "auto" && tty ? "pretty" : config.log.format;
const env = { ...process.env, LOG_FORMAT: logFormat };
// The children are this command's siblings, compiled (dist/server/*.js) or run from source (*.ts).
const script = (name: string): string => fileURLToPath(new URL(`./${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

const code = await superviseChildren(
  [
    { name: "serve", script: script("serve"), args, env, waitReady: true },
    { name: "ingest", script: script("ingest"), args, env },
  ],
  { colour: tty },
);
process.exit(code);
