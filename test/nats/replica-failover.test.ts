/**
 * Failures a replica must come through with exact counts, with real processes on a 3-node cluster:
 * a replica killed with SIGKILL mid-stream changes nothing a screen on a `web` node sees (every
 * epoch, in order, with the counts of the replica that never stopped), and started again on its
 * STATE_DIR it replays the stream from its checkpoint's sequence and sends the very snapshots of the
 * other; a NATS node killed mid-stream changes no count.
 */
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { encodePlainLine, encodeTagLine } from "../../shared/line-protocol.ts";
import type { ServerMessage, Snapshot } from "../../shared/messages.ts";
import { readSavedState, waitFor, type ServeProcess } from "../integration/serve-process.ts";
import { recordWs } from "../support/ws-recorder.ts";
import { natsAvailable } from "../support/nats-cluster.ts";
import { clusterPerFile } from "./cluster-per-file.ts";
import { startWebNode } from "./web-node-process.ts";
import { counted, health, publisher, recordFrames, startReplica, waitForCounts, type FrameLog, type Publisher } from "./replica-processes.ts";

const TAGS = ["rust", "go", "zig", "ocaml", "elixir"];

/** Publishes `rounds` rounds of lines, `pauseMs` apart, adding what they count to `expected`. */
async function publishRounds(publish: Publisher, from: number, rounds: number, expected: Record<string, number>, pauseMs = 100): Promise<void> {
  for (let r = from; r < from + rounds; r++) {
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) {
      const lang = ["en", "de", "ja"][i % 3] as string;
      lines.push(encodeTagLine({ tags: [TAGS[(r + i) % TAGS.length] as string, "all"], id: `https://b.example/${r}/${i}`, lang, acct: `u${i % 4}@b.example` }).trimEnd());
    }
    lines.push(encodePlainLine(["plain"]).trimEnd());
    await publish.lines(lines);
    for (const line of lines) {
      const tags = line.startsWith("{") ? (JSON.parse(line) as { tags: string[] }).tags : line.split(" ");
      for (const tag of tags) expected[tag] = (expected[tag] ?? 0) + 1;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

const isSnapshot = (m: ServerMessage): m is Snapshot => m.type === "snapshot";

const idOf = (serve: ServeProcess): string => `${hostname()}:${serve.child.pid}`;

/** Epochs both replicas sent, checked equal one by one; returns how many. */
function compareCommon(frames: FrameLog, x: string, y: string): number {
  const [ex, ey] = [frames.snapshots.get(x) ?? new Map<number, Snapshot>(), frames.snapshots.get(y) ?? new Map<number, Snapshot>()];
  let common = 0;
  for (const [epoch, snapshot] of ex) {
    const other = ey.get(epoch);
    if (other === undefined) continue;
    common++;
    expect(counted(snapshot), `epoch ${epoch}`).toEqual(counted(other));
  }
  return common;
}

describe.runIf(natsAvailable())("replica failures", () => {
  const cluster = clusterPerFile();

  it("a replica killed with SIGKILL: a web node's client sees every epoch with the other's counts; restarted, it replays from its checkpoint to the other's exact counts and snapshots", async () => {
    const stream = "CRASH";
    const frames = await recordFrames(cluster.url, stream);
    const [a, b] = await Promise.all([startReplica({ url: cluster.url, stream }), startReplica({ url: cluster.url, stream })]);
    const publish = await publisher(cluster.url, stream);
    try {
      const expected: Record<string, number> = {};
      await publishRounds(publish, 0, 10, expected);
      await waitFor(async () => ((await readSavedState(a.dir))?.stream?.seq ?? 0) > 50, 30_000, () => "no checkpoint with a stream position");
      const web = await startWebNode({ NATS_URL: cluster.url, NATS_STREAM: stream });
      const screen = await recordWs(web.wsUrl);
      await screen.waitFor(isSnapshot);
      // Killed while lines keep coming: whatever its last checkpoint holds, the stream has the rest.
      const more = publishRounds(publish, 10, 10, expected);
      await new Promise((resolve) => setTimeout(resolve, 300));
      a.child.kill("SIGKILL");
      expect(await a.exited).toBe("SIGKILL");
      const saved = await readSavedState(a.dir);
      await more;
      await publishRounds(publish, 20, 5, expected);

      const restarted = await startReplica({ url: cluster.url, stream, dir: a.dir });
      expect(restarted.output()).toContain('"msg":"restored the checkpoint"');
      await waitForCounts([b, restarted], expected);
      expect(expected.all).toBe(250);
      const state = await health(restarted);
      expect(state.cluster?.replaying).toBe(false);
      expect(state.cluster?.lag).toBe(0);
      // It replayed what the stream held after its checkpoint, not the whole stream.
      expect(state.cluster?.replayed).toBeGreaterThan(0);
      expect(state.cluster?.lastSeq).toBeGreaterThan(saved?.stream?.seq ?? Infinity);
      expect(state.cluster?.replayed).toBeLessThanOrEqual((state.cluster?.lastSeq ?? 0) - (saved?.stream?.seq ?? 0));

      // Once caught up, it sends the same snapshot as the other for every epoch both send.
      await waitFor(() => (frames.snapshots.get(idOf(restarted))?.size ?? 0) >= 15, 30_000, () => "the restarted replica sent fewer than 15 snapshots");
      expect(compareCommon(frames, idOf(b), idOf(restarted))).toBeGreaterThanOrEqual(10);
      expect(compareCommon(frames, idOf(b), idOf(a))).toBeGreaterThanOrEqual(5);

      // The screen saw every epoch from the one it connected at, once each, in order, as the
      // replica that never stopped sent it — through the kill and the replay.
      const lastOfB = Math.max(...(frames.snapshots.get(idOf(b))?.keys() ?? []));
      await screen.waitFor((m) => isSnapshot(m) && m.epoch >= lastOfB, 10_000);
      const seen = screen.messages.filter(isSnapshot);
      const first = seen[0]?.epoch ?? 0;
      expect(seen.map((s) => s.epoch)).toEqual(Array.from({ length: seen.length }, (_, i) => first + i));
      expect(seen.length).toBeGreaterThanOrEqual(15);
      for (const snapshot of seen) expect(counted(snapshot), `epoch ${snapshot.epoch} on the screen`).toEqual(counted(frames.snapshots.get(idOf(b))?.get(snapshot.epoch) as Snapshot));
      await screen.close();
      for (const tag of ["rust", "go", "plain"]) {
        type Counts = { windows: { complete: number }; languages: Record<string, { complete: number }> };
        const [x, y] = await Promise.all([b, restarted].map(async (s) => (await (await fetch(`${s.httpUrl}/api/tags/${tag}`)).json()) as Counts));
        expect(y?.windows.complete).toBe(x?.windows.complete);
        // The per-language tops came back from the checkpoint too.
        expect(Object.fromEntries(Object.entries(y?.languages ?? {}).map(([lang, w]) => [lang, w.complete]))).toEqual(Object.fromEntries(Object.entries(x?.languages ?? {}).map(([lang, w]) => [lang, w.complete])));
      }
    } finally {
      await publish.close();
      await frames.close();
    }
  }, 150_000);

  it("counts on, exactly, when a NATS node is killed mid-stream", async () => {
    const stream = "NODEKILL";
    const frames = await recordFrames(cluster.url, stream);
    const [a, b] = await Promise.all([startReplica({ url: cluster.url, stream }), startReplica({ url: cluster.url, stream })]);
    const publish = await publisher(cluster.url, stream);
    try {
      const expected: Record<string, number> = {};
      await publishRounds(publish, 0, 8, expected);
      await cluster.kill(0);
      await publishRounds(publish, 8, 12, expected);
      await waitForCounts([a, b], expected, 90_000);
      expect(expected.all).toBe(200);
      await waitFor(() => Math.min(frames.snapshots.get(idOf(a))?.size ?? 0, frames.snapshots.get(idOf(b))?.size ?? 0) >= 20, 30_000, () => "fewer than 20 snapshots");
      expect(compareCommon(frames, idOf(a), idOf(b))).toBeGreaterThanOrEqual(20);
    } finally {
      await publish.close();
      await frames.close();
      await cluster.start(0);
    }
  }, 150_000);
});
