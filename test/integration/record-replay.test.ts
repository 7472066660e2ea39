/**
 * `--record` keeps every frame as received; `--replay` plays a recording through masto and the same
 * processing path. A live run and its replay give the same counts, the shipped sample gives the
 * counts an independent reading of its frames gives, and `--speed` keeps the recorded rhythm.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { normaliseHashtag } from "../../shared/hashtag.ts";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import { startIngestor } from "../../server/ingestor/ingestor.ts";
import { RecordingError } from "../../server/ingestor/replay/replay-source.ts";
import { silentLogger } from "../support/silent-logger.ts";
import { countsIn, harness, ingestor, onCleanup, simulatedMastodon, tickUntil, waitUntil } from "./ingest-fixture.ts";

const SAMPLE = fileURLToPath(new URL("../fixtures/mastodon-sample.jsonl", import.meta.url));

async function tempFile(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "tagstream-")), name);
}

async function replay(file: string, ingestPort: number, speed = 0) {
  const started = await ingestor([], ingestPort, { input: { kind: "replay", file, speed } }, { subscribed: false });
  await started.done;
  return started;
}

/** What the recording should count, read straight from its frames: the semantics, without the ingestor's code. */
function countsFromFrames(recording: string): Record<string, number> {
  const [, ...lines] = recording.trim().split("\n");
  const uris = new Map<string, string>();
  const overtaken = new Set<string>();
  const posts = new Map<string, { tags: string[]; deleted: boolean }>();
  const forget = (uri: string): void => void posts.set(uri, { tags: [], deleted: true });
  for (const line of lines) {
    const { instance, event, payload } = JSON.parse(line) as { instance: string; event: string; payload: string };
    if (event === "delete") {
      const uri = uris.get(`${instance} ${payload}`);
      if (uri === undefined) overtaken.add(`${instance} ${payload}`);
      else forget(uri);
      continue;
    }
    const status = JSON.parse(payload) as { id: string; uri: string; tags: Array<{ name: string }> };
    uris.set(`${instance} ${status.id}`, status.uri);
    const known = posts.get(status.uri);
    const tags = [...new Set(status.tags.map((tag) => normaliseHashtag(tag.name)).filter((tag) => tag !== ""))];
    if (overtaken.delete(`${instance} ${status.id}`)) forget(status.uri);
    else if (event === "update" && known === undefined) posts.set(status.uri, { tags, deleted: false });
    else if (event === "status.update" && known !== undefined && !known.deleted) known.tags = tags;
  }
  const counts: Record<string, number> = {};
  for (const post of posts.values()) if (!post.deleted) for (const tag of post.tags) counts[tag] = (counts[tag] ?? 0) + 1;
  return counts;
}

describe("record and replay", () => {
  it("replays a recorded run to the same snapshot", async () => {
    const file = await tempFile("run.jsonl");
    const live = await harness();
    const a = await simulatedMastodon({ domain: "a.example", updateDelayMs: 100 });
    const b = await simulatedMastodon({ domain: "b.example" });
    const recording = await ingestor([a, b], live.aggregator.intake.port, {
      input: { kind: "live", targets: [a, b].map((s) => ({ instanceUrl: s.restUrl, token: s.token })), stream: { kind: "public" }, source: "demo", record: file },
    });
    const remote = (id: string, tags: string[], serverDomain: string) => craftStatus({ id, acct: "kim@far.example", originId: "42", serverDomain, tags });
    a.publish({ event: "update", status: remote("1", ["shared", "x"], "a.example") });
    b.publish({ event: "update", status: remote("9", ["shared", "x"], "b.example") });
    b.publish({ event: "status.update", status: remote("9", ["shared", "y"], "b.example") });
    a.publish({ event: "update", status: craftStatus({ id: "2", acct: "lee", serverDomain: "a.example", tags: ["ghost"] }) });
    a.publish({ event: "delete", status: craftStatus({ id: "2", acct: "lee", serverDomain: "a.example" }) });
    b.publish({ event: "update", status: craftStatus({ id: "10", acct: "mo", serverDomain: "b.example", tags: ["local", "y"] }) });
    await waitUntil(() => recording.stats.statuses === 4 && recording.stats.edits === 1 && recording.stats.deletes === 1, 5000, "all frames");
    const liveSnapshot = await tickUntil(live, (s) => countsIn(s).local === 1 && countsIn(s).y === 2);
    await recording.stop();

    const replayed = await harness();
    const replaying = await replay(file, replayed.aggregator.intake.port);
    const replaySnapshot = await tickUntil(replayed, (s) => s.stats.lines === liveSnapshot.stats.lines && countsIn(s).y === 2);
    expect(replaySnapshot.windows).toEqual(liveSnapshot.windows);
    expect(countsIn(replaySnapshot)).toEqual({ shared: 1, y: 2, local: 1 });
    expect(replaying.report()).toMatchObject({ statuses: 4, forwarded: 2, edits: 1, deletes: 1, duplicates: 1 });
    expect(replaySnapshot.source).toBe("demo");
    expect(replaySnapshot.instances).toEqual(["a.example", "b.example"]);
  }, 20_000);

  it("replays the shipped sample to the counts its frames describe", async () => {
    const h = await harness();
    const expected = countsFromFrames(await readFile(SAMPLE, "utf8"));
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    const replaying = await replay(SAMPLE, h.aggregator.intake.port);
    const skipped = Object.fromEntries(replaying.stats.skipped);
    // The sample holds every case: copies through two servers, edits, deletions, one overtaking its update.
    expect(skipped.duplicate).toBeGreaterThan(0);
    expect(skipped.unknown).toBeGreaterThan(0);
    expect(replaying.stats.edits).toBeGreaterThan(0);
    expect(replaying.stats.deletes).toBeGreaterThan(0);
    const total = Object.values(expected).reduce((sum, n) => sum + n, 0);
    const snapshot = await tickUntil(h, (s) => Object.values(countsIn(s)).reduce((sum, n) => sum + n, 0) === total && s.stats.lines >= replaying.stats.forwarded);
    expect(countsIn(snapshot)).toEqual(expected);
  });

  it("keeps the recorded spacing divided by --speed", async () => {
    const file = await tempFile("spaced.jsonl");
    const header = { format: "tagstream-recording", version: 1, source: "live", stream: "public", instances: ["a.example"], startedAt: "2026-01-01T00:00:00.000Z" };
    const frame = (t: number, id: string, tag: string) => ({
      t,
      instance: "a.example",
      stream: ["public"],
      event: "update",
      payload: JSON.stringify(craftStatus({ id, acct: "x@y.example", tags: [tag] })),
    });
    const frames = [frame(1_000_000, "1", "first"), frame(1_000_600, "2", "second"), frame(1_001_200, "3", "third")];
    await writeFile(file, [header, ...frames].map((line) => JSON.stringify(line)).join("\n"));

    const started = await startIngestor({ input: { kind: "replay", file, speed: 3 }, output: { kind: "listen", host: "127.0.0.1", port: 0 }, format: "plain", log: silentLogger });
    onCleanup(() => started.stop());
    const arrivals: Array<[string, number]> = [];
    const reader = net.createConnection(started.listenPort as number, "127.0.0.1");
    onCleanup(async () => void reader.destroy());
    reader.on("data", (data: Buffer) => {
      for (const line of data.toString().split("\n")) if (line !== "") arrivals.push([line, Date.now()]);
    });
    await started.done;
    await waitUntil(() => arrivals.length === 3);
    expect(arrivals.map(([line]) => line)).toEqual(["first", "second", "third"]);
    const span = (arrivals[2]?.[1] ?? 0) - (arrivals[0]?.[1] ?? 0);
    expect(span).toBeGreaterThanOrEqual(350);
    expect(span).toBeLessThan(1_000);
  });

  it("refuses a file that is not a recording, saying why", async () => {
    const file = await tempFile("notes.txt");
    await writeFile(file, "hello\n");
    await expect(startIngestor({ input: { kind: "replay", file, speed: 0 }, output: { kind: "listen", host: "127.0.0.1", port: 0 }, log: silentLogger })).rejects.toThrow(
      new RecordingError(file, "its first line is not a tagstream recording header"),
    );
    await expect(startIngestor({ input: { kind: "replay", file: `${file}.missing`, speed: 0 }, output: { kind: "listen", host: "127.0.0.1", port: 0 }, log: silentLogger })).rejects.toThrow(
      /^cannot replay .*missing: ENOENT/,
    );
  });
});
