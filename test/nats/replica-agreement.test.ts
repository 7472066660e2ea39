/**
 * Two `serve` replicas reading one stream on a 3-node cluster send the same snapshot for every
 * epoch, and a trigger change asked of one of them (PUT /api/config) takes effect at the same epoch
 * in both.
 */
import { describe, expect, it } from "vitest";
import { encodePlainLine, encodeTagLine } from "../../shared/line-protocol.ts";
import { Kvm } from "@nats-io/kv";
import { clusterSubjects, LATEST_KEYS } from "../../server/nats/cluster-wire.ts";
import { snapshotSchema } from "../../shared/messages.ts";
import { readSavedState, sendAll, waitFor } from "../integration/serve-process.ts";
import { natsAvailable } from "../support/nats-cluster.ts";
import { clusterPerFile } from "./cluster-per-file.ts";
import { counted, health, publisher, recordFrames, startReplica, waitForCounts, type FrameLog } from "./replica-processes.ts";

const TAGS = ["rust", "go", "zig", "ocaml", "elixir", "nim", "odin"];

/** Lines of round `r`: posts with ids (each published once), and plain lines. */
function round(r: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    const tag = TAGS[(r * 7 + i) % TAGS.length] as string;
    lines.push(encodeTagLine({ tags: [tag, "all"], id: `https://a.example/${r}/${i}`, acct: `u${i % 5}@a.example` }).trimEnd());
  }
  lines.push(encodePlainLine(["plain", TAGS[r % TAGS.length] as string]).trimEnd());
  return lines;
}

describe.runIf(natsAvailable())("replicas on one stream", () => {
  const cluster = clusterPerFile();

  it("send the same snapshot for every epoch, and apply a trigger change at the same epoch", async () => {
    const stream = "AGREE";
    const frames: FrameLog = await recordFrames(cluster.url, stream);
    const [a, b] = await Promise.all([
      startReplica({ url: cluster.url, stream, env: { ADMIN_TOKEN: "secret-admin-token-0123456789" } }),
      startReplica({ url: cluster.url, stream }),
    ]);
    const publish = await publisher(cluster.url, stream);
    try {
      // Caught up with an empty stream, the replicas keep their hello for web nodes to come.
      const latest = await new Kvm(publish.connection).open(clusterSubjects(stream).latestBucket);
      await waitFor(async () => (await latest.get(LATEST_KEYS.hello)) !== null, 10_000, () => "no hello in KV");
      expect((await latest.get(LATEST_KEYS.hello))?.json<{ type: string; triggerMs: number }>()).toMatchObject({ type: "hello", triggerMs: 200 });

      const expected: Record<string, number> = {};
      for (let r = 0; r < 15; r++) {
        const lines = round(r);
        // A post published twice (an ingestor retrying) is stored once.
        await publish.lines([...lines, lines[0] as string]);
        for (const line of lines) {
          const tags = line.startsWith("{") ? (JSON.parse(line) as { tags: string[] }).tags : line.split(" ");
          for (const tag of tags) expected[tag] = (expected[tag] ?? 0) + 1;
        }
        if (r === 7) {
          const response = await fetch(`${a.httpUrl}/api/config`, {
            method: "PUT",
            headers: { "content-type": "application/json", authorization: "Bearer secret-admin-token-0123456789" },
            body: JSON.stringify({ triggerInterval: "400ms" }),
          });
          expect(response.status).toBe(200);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      // Lines on a replica's TCP socket go to the stream, so both count them; a post an ingestor
      // already published (same id) is not counted again.
      await sendAll(b.ingestPort, [encodePlainLine(["tcp", "rust"]), encodePlainLine(["tcp"]), `${round(0)[3] as string}\n`].join(""));
      expected.tcp = 2;
      expected.rust = (expected.rust ?? 0) + 1;
      await waitForCounts([a, b], expected);
      expect(expected.all).toBe(300);

      // Requests any replica answers, and the latest frames kept for a web node that starts late.
      const subjects = clusterSubjects(stream);
      const ask = async (subject: string, body: object): Promise<Record<string, unknown>> =>
        (await publish.connection.request(subject, JSON.stringify(body), { timeout: 5000 })).json();
      expect(((await ask(subjects.tagCounts, { tag: "All" })) as { windows: { complete: number } }).windows.complete).toBe(300);
      expect(await ask(subjects.tagCounts, { nope: 1 })).toEqual({ error: 'expected {"tag": "<name>"}' });
      const top = (await ask(subjects.top, { window: "complete", n: 2 })) as { top: Array<{ tag: string; count: number }> };
      expect(top.top.map((e) => [e.tag, e.count])).toEqual([["all", 300], ...Object.entries(expected).filter(([t]) => t !== "all").sort(([x, m], [y, n]) => n - m || (x < y ? -1 : 1)).slice(0, 1)]);
      expect(await ask(subjects.top, { window: "1h", n: 2 })).toBeNull();
      expect(await ask(subjects.config, { triggerInterval: "1 hour" })).toEqual({ accepted: false, problem: "must not be longer than the shortest sliding window (2s)" });
      expect(await ask(subjects.config, { triggerInterval: "soon" })).toEqual({ accepted: false, problem: '"soon" is not a duration (e.g. "500ms", "2s", "1 minute")' });
      const kept = snapshotSchema.parse((await latest.get(LATEST_KEYS.snapshot))?.json());
      expect(kept.epoch).toBeGreaterThan(10);
      expect((await latest.get(LATEST_KEYS.hello))?.json<{ type: string; triggerMs: number }>()).toMatchObject({ type: "hello", triggerMs: 400 });

      // Both replicas go on closing epochs with markers while nothing is published: wait for a few.
      const [idA, idB] = await waitForTwo(frames);
      const epochsOf = (id: string): Map<number, import("../../shared/messages.ts").Snapshot> => frames.snapshots.get(id) ?? new Map();
      await waitFor(() => Math.min(...[idA, idB].map((id) => Math.max(...epochsOf(id).keys()))) >= 40, 30_000, () => "fewer than 40 epochs");
      const last = Math.min(...[idA, idB].map((id) => Math.max(...epochsOf(id).keys())));
      for (let epoch = 1; epoch <= last; epoch++) {
        const [x, y] = [epochsOf(idA).get(epoch), epochsOf(idB).get(epoch)];
        expect(x, `epoch ${epoch} from ${idA}`).toBeDefined();
        expect(y, `epoch ${epoch} from ${idB}`).toBeDefined();
        expect(counted(x as never), `epoch ${epoch}`).toEqual(counted(y as never));
      }
      // The change took effect at one epoch in both: the first at 400 ms, after every one at 200 ms.
      const firstSlow = (id: string): number => Math.min(...[...epochsOf(id).values()].filter((s) => s.triggerMs === 400).map((s) => s.epoch));
      expect(Number.isFinite(firstSlow(idA))).toBe(true);
      expect(firstSlow(idA)).toBe(firstSlow(idB));
      for (const [epoch, snapshot] of epochsOf(idA)) expect(snapshot.triggerMs).toBe(epoch < firstSlow(idA) ? 200 : 400);
      // The last epoch's complete top holds every post exactly once.
      const complete = epochsOf(idA).get(last)?.windows.find((w) => w.window === "complete")?.top ?? [];
      expect(Object.fromEntries(complete.map((e) => [e.tag, e.count]))).toEqual(expected);
      // Both are on `/metrics` with their place in the stream.
      const metrics = await (await fetch(`${b.httpUrl}/metrics`)).text();
      expect(metrics).toMatch(/tagstream_stream_lag_messages 0/);
      expect(metrics).toMatch(/tagstream_epochs_closed_total\{by="marker"\} [1-9]/);
      expect(metrics).toMatch(/tagstream_tcp_lines_published_total 2\n/);
      expect(metrics).toMatch(/tagstream_tcp_lines_duplicate_total 1\n/);

      // SIGTERM: the final checkpoint holds the stream position of everything applied.
      const seq = (await health(a)).cluster?.lastSeq;
      a.child.kill("SIGTERM");
      expect(await a.exited).toBe(0);
      const saved = await readSavedState(a.dir);
      expect(saved?.stream?.stream).toBe(stream);
      expect(saved?.stream?.seq).toBeGreaterThanOrEqual(seq ?? Infinity);
    } finally {
      await publish.close();
      await frames.close();
    }
  }, 120_000);
});

async function waitForTwo(frames: FrameLog): Promise<[string, string]> {
  await waitFor(() => frames.replicas().length >= 2, 20_000, () => `frames from ${frames.replicas().length} replicas`);
  const [x, y] = frames.replicas();
  return [x as string, y as string];
}
