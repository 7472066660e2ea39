/**
 * `--help` of every command: the flags with their variables and defaults, generated from the one
 * config definition, so every variable is listed without being written down twice.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { commandHelp, READ_BY } from "../../server/config/config-help.ts";
import { CONFIG_VARIABLES } from "../../server/config/config.ts";
import { commandArgs, type Command } from "../support/commands.ts";

const row = (flag: string, variable: string, shown: string) => new RegExp(`^  ${flag.replace(/[|<>]/g, "\\$&")} +${variable} +${shown}$`, "m");

describe("config --help", () => {
  it("lists every variable of the definition for start (which runs serve and ingest), with its flag and default", () => {
    const help = commandHelp("start");
    for (const variable of Object.keys(CONFIG_VARIABLES)) expect(help).toMatch(new RegExp(` ${variable} `));
    expect(help).toMatch(row("--trigger <duration>", "TRIGGER_INTERVAL", "default 10s"));
    expect(help).toMatch(row("--windows <windows>", "WINDOWS", "default 15m,complete"));
    expect(help).toMatch(row("--top-n <n>", "TOP_N", "default 20"));
    expect(help).toMatch(row("--queue-bytes <size>", "INGEST_QUEUE_BYTES", "default 64MiB"));
    expect(help).toMatch(row("--stream <value>", "MASTODON_STREAM", "default public"));
    expect(help).toMatch(row("--mastodon-url <value>", "MASTODON_URL", "default https://mastodon.social"));
    expect(help).toMatch(row("--format <json\\|plain>", "INGEST_FORMAT", "default json"));
    expect(help).toMatch(row("--demo", "DEMO", "default false"));
    expect(help).toMatch(row("--demo-token <value>", "DEMO_TOKEN", "default \\(unset\\)"));
    expect(help).toMatch(row("", "ADMIN_TOKEN", "default \\(unset\\)"));
  });

  it("lists for each command only what it reads", () => {
    // Every variable named in the table of readers exists.
    expect(Object.keys(READ_BY).filter((variable) => !(variable in CONFIG_VARIABLES))).toEqual([]);
    const listed = (command: Parameters<typeof commandHelp>[0], variable: string): boolean => new RegExp(` ${variable} `).test(commandHelp(command));
    expect([listed("serve", "TRIGGER_INTERVAL"), listed("serve", "MASTODON_URL"), listed("serve", "FILTER_SKIP_BOTS"), listed("serve", "NATS_URL")]).toEqual([true, false, false, true]);
    expect([listed("ingest", "TRIGGER_INTERVAL"), listed("ingest", "MASTODON_URL"), listed("ingest", "INGEST_QUEUE_BYTES"), listed("ingest", "HTTP_PORT")]).toEqual([false, true, true, false]);
    expect([listed("web", "HTTP_PORT"), listed("web", "WINDOWS"), listed("web", "NATS_URL"), listed("web", "DEMO_RATE")]).toEqual([true, false, true, false]);
    expect([listed("demo", "DEMO_RATE"), listed("demo", "HTTP_PORT"), listed("demo", "LOG_LEVEL")]).toEqual([true, false, true]);
    expect(commandHelp("serve")).not.toContain("MASTODON_TOKEN_<HOST>");
    expect(commandHelp("ingest")).toContain("MASTODON_TOKEN_<HOST>");
  });

  it.each<[Command, string]>([
    ["serve", "usage: npm run serve -- [flags]"],
    ["ingest", "usage: npm run ingest -- [flags]"],
    ["demo", "usage: npm run demo -- [flags]"],
    ["start", "usage: npm start -- [flags]"],
    ["web", "usage: npm run web -- [flags]"],
  ])("%s --help prints its usage and the flags, exit 0, starting nothing", async (command, usage) => {
    // A port in use would make a started command fail: --help must not get that far.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, commandArgs(command, "--help"), {
      env: { ...process.env, HTTP_PORT: "1", INGEST_PORT: "1", DEMO_PORT: "1" },
    });
    expect(stdout.split("\n")[0]).toBe(usage);
    expect(stdout).toMatch(row("--log-level <value>", "LOG_LEVEL", "default info"));
    expect(stderr).toBe("");
  }, 20_000);
});
