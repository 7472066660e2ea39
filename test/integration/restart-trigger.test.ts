/**
 * `serve` restarted after its trigger interval was changed at run time: its log says which interval
 * is in force and why, not the TRIGGER_INTERVAL it was started with.
 */
import { describe, expect, it } from "vitest";
import { startServe, stateDir, waitFor } from "./serve-process.ts";

const TOKEN = "an-admin-token-for-the-restart-test";

/** The JSON log entries of a process's output that carry a trigger interval. */
const triggerLogs = (output: string): Array<Record<string, unknown>> =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.triggerMs !== undefined)
    .map(({ triggerMs, configuredTriggerMs, msg }) => ({ triggerMs, configuredTriggerMs, msg }));

describe("serve restarted after a run-time trigger change", () => {
  it("logs the restored interval and why", async () => {
    const env = { STATE_DIR: stateDir(), TRIGGER_INTERVAL: "2s", ADMIN_TOKEN: TOKEN };
    const first = await startServe(env);
    const changed = await fetch(`${first.httpUrl}/api/config`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ triggerInterval: "500ms" }),
    });
    expect(changed.status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const second = await startServe(env);
    // /healthz can answer before the line logged after listening has been read from the process.
    await waitFor(() => second.output().includes("dashboard at"), 10_000, () => `no "dashboard at" line:\n${second.output()}`);
    expect(triggerLogs(second.output())).toEqual([
      { triggerMs: 500, configuredTriggerMs: 2000, msg: "trigger 500ms (restored from checkpoint: changed at run time; TRIGGER_INTERVAL 2s)" },
      { triggerMs: 500, configuredTriggerMs: undefined, msg: expect.stringMatching(/^dashboard at http:\/\/127\.0\.0\.1:\d+\/ — lines on tcp:/) },
    ]);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 60_000);
});
