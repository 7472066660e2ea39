/**
 * The guarantee after a crash, with a real process: `serve` is killed with SIGKILL in the middle of
 * a stream, started again on the same STATE_DIR, and shows exactly the counts of the last checkpoint
 * it wrote — no more, no fewer — and still knows the posts it had seen.
 */
import { describe, expect, it } from "vitest";
import { encodeDeleteLine, encodePlainLine, encodeTagLine } from "../../shared/line-protocol.ts";
import { connectIngest, ranked, readSavedState, sendAll, startServe, stateDir, waitFor } from "./serve-process.ts";

const POST_ID = "https://a.example/users/ann/statuses/1";
const FIRST = 200;
const SECOND = 300;

describe("crash and restart", () => {
  it("comes back after SIGKILL with exactly the counts of the last checkpoint", async () => {
    const dir = stateDir();
    const env = { STATE_DIR: dir, CHECKPOINT_INTERVAL: "300ms", TRIGGER_INTERVAL: "200ms" };
    const first = await startServe(env);

    // First batch: one post with an id, then FIRST lines "alpha beta".
    const stream = await connectIngest(first.ingestPort);
    // The killed server resets the connection: expected, not a failure.
    stream.on("error", () => undefined);
    stream.write(encodeTagLine({ tags: ["delta"], id: POST_ID }));
    stream.write(encodePlainLine(["alpha", "beta"]).repeat(FIRST));
    await waitFor(async () => (await readSavedState(dir))?.engine.lines === FIRST + 1, 30_000, () => "no checkpoint of the first batch");

    // Second batch on the same connection, then SIGKILL at once: whatever of it the last checkpoint
    // caught is what must come back, and nothing after it.
    stream.write(encodePlainLine(["gamma", "alpha"]).repeat(SECOND));
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    stream.destroy();

    const saved = await readSavedState(dir);
    const lines = saved?.engine.lines ?? 0;
    expect(lines).toBeGreaterThanOrEqual(FIRST + 1);
    expect(lines).toBeLessThanOrEqual(FIRST + 1 + SECOND);
    // Lines are counted in the order sent, so the line count says exactly which were in it.
    const secondCounted = lines - FIRST - 1;
    const expected = ranked({ alpha: FIRST + secondCounted, beta: FIRST, gamma: secondCounted, delta: 1 });

    const second = await startServe(env);
    expect(await second.top("complete")).toEqual(expected);
    expect(await second.top("15m")).toEqual(expected);
    expect(second.output()).toContain('"msg":"restored the checkpoint"');

    // The post seen before the crash can still be deleted: the post ledger came back too.
    await sendAll(second.ingestPort, encodeDeleteLine(POST_ID));
    await waitFor(async () => (await second.top("complete")).every((entry) => entry.tag !== "delta"), 30_000, () => "the deletion was not applied");
    expect(await second.top("complete")).toEqual(ranked({ alpha: FIRST + secondCounted, beta: FIRST, gamma: secondCounted }));

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);
});
