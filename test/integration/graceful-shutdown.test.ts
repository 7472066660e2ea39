/**
 * SIGTERM on a real `serve`: intake stopped, a final checkpoint holding every line read (even those
 * no tick has folded in yet), WebSocket clients closed with 1001, exit code 0; started again, it
 * shows all of them. A terminal's SIGINT with the supervisor's SIGTERM is one request, not two.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CHECKPOINT_FILE } from "../../server/aggregator/checkpoint/checkpoint-file.ts";
import { encodePlainLine } from "../../shared/line-protocol.ts";
import { ranked, readSavedState, sendAll, startServe, stateDir } from "./serve-process.ts";

describe("graceful shutdown", () => {
  it("stops intake, writes a final checkpoint, closes WebSocket clients with 1001 and exits 0", async () => {
    const dir = stateDir();
    // Neither a tick nor a periodic checkpoint comes during the test: only the shutdown saves the lines.
    const env = { STATE_DIR: dir, CHECKPOINT_INTERVAL: "1h", TRIGGER_INTERVAL: "1h", WINDOWS: "1h,complete" };
    const first = await startServe(env);
    const client = new WebSocket(`${first.httpUrl.replace("http", "ws")}/ws`);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise((resolve, reject) => client.once("open", resolve).once("error", reject));

    await sendAll(first.ingestPort, encodePlainLine(["rust", "go"]).repeat(40) + encodePlainLine(["rust"]).repeat(2));
    expect(await first.top("complete")).toEqual([]);
    expect(existsSync(join(dir, CHECKPOINT_FILE))).toBe(false);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(await closed).toEqual({ code: 1001, reason: "server shutting down" });
    const saved = await readSavedState(dir);
    expect(saved?.engine.lines).toBe(42);
    // Never ticked: the lines are all in the saved open interval.
    expect(saved?.engine.latest.epoch).toBe(0);
    expect(first.output()).toContain('"msg":"final checkpoint written"');

    const second = await startServe(env);
    const expected = ranked({ rust: 42, go: 40 });
    expect(await second.top("complete")).toEqual(expected);
    expect(await second.top("1h")).toEqual(expected);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  }, 120_000);

  it("takes SIGINT and SIGTERM arriving together (Ctrl-C under npm start) as one request to stop", async () => {
    const dir = stateDir();
    const serve = await startServe({ STATE_DIR: dir, CHECKPOINT_INTERVAL: "1h" });
    await sendAll(serve.ingestPort, encodePlainLine(["rust"]).repeat(5));
    serve.child.kill("SIGINT");
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect((await readSavedState(dir))?.engine.lines).toBe(5);
  }, 120_000);
});
