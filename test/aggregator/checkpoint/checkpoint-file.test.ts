import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { encodedCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-encoding.ts";
import { CapturedArray, CapturedStrings } from "../../../server/aggregator/engine/captured-arrays.ts";
import { CHECKPOINT_FILE, readCheckpoint, writeCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-file.ts";

const fresh = () => mkdtempSync(join(tmpdir(), "checkpoint-"));
const NOW = () => Date.UTC(2026, 10, 21, 12, 0, 0);

describe("checkpoint files", () => {
  it("round-trips typed arrays, maps and numbers exactly", async () => {
    const dir = fresh();
    const state = { epoch: 42, names: ["rust", "café"], totals: new Float64Array([3, 0.5, 2 ** 52]), ids: new Uint32Array([1, 7]), map: new Map([["a", 1]]) };
    const bytes = await writeCheckpoint(dir, state);
    expect(bytes).toBe(readFileSync(join(dir, CHECKPOINT_FILE)).length);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state });
    // Nothing temporary is left behind.
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });

  it("replaces the previous checkpoint", async () => {
    const dir = fresh();
    await writeCheckpoint(dir, { epoch: 1 });
    await writeCheckpoint(dir, { epoch: 2 });
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state: { epoch: 2 } });
  });

  it("reports a missing checkpoint", async () => {
    expect(await readCheckpoint(fresh())).toEqual({ kind: "missing" });
  });

  it("moves a truncated checkpoint aside and says why", async () => {
    const dir = fresh();
    await writeCheckpoint(dir, { epoch: 7, totals: new Float64Array(100) });
    const path = join(dir, CHECKPOINT_FILE);
    writeFileSync(path, readFileSync(path).subarray(0, 60));
    const read = await readCheckpoint(dir, NOW);
    expect(read).toEqual({
      kind: "corrupt",
      reason: "checksum mismatch (truncated or altered)",
      movedTo: `${path}.corrupt-2026-11-21T12-00-00.000Z`,
    });
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.corrupt-2026-11-21T12-00-00.000Z`)).toBe(true);
    expect(await readCheckpoint(dir)).toEqual({ kind: "missing" });
  });

  it("moves a checkpoint of the earlier format aside, naming its format", async () => {
    const dir = fresh();
    writeFileSync(join(dir, CHECKPOINT_FILE), Buffer.concat([Buffer.from("TAGSTREAM-CHECKPOINT-1\n"), Buffer.alloc(32), serialize({ epoch: 3 })]));
    expect(await readCheckpoint(dir, NOW)).toMatchObject({ kind: "corrupt", reason: "checkpoint file format 1; this version reads 2" });
  });

  it("moves aside a checkpoint whose hash holds but whose payload is cut short", async () => {
    const dir = fresh();
    const payload = encodedCheckpoint({ totals: new CapturedArray("Float64Array", 4, (_from, _to, into) => into.fill(1)) });
    const cut = payload.subarray(0, payload.length - 8);
    const digest = createHash("sha256").update(cut).digest();
    writeFileSync(join(dir, CHECKPOINT_FILE), Buffer.concat([Buffer.from("TAGSTREAM-CHECKPOINT-2\n"), cut, digest]));
    expect(await readCheckpoint(dir, NOW)).toMatchObject({ kind: "corrupt", reason: `undecodable: payload ends at ${cut.length}, needed ${payload.length}` });
  });

  it("writes captured arrays and string lists as they are read, and reads them back as arrays", async () => {
    const dir = fresh();
    const ids = new Uint32Array(300_000).map((_, i) => i * 3);
    // Short names, one UTF-8 cannot hold (a lone surrogate) and one longer than a slice.
    const names = [...Array.from({ length: 50_000 }, (_, i) => `tag${i}é`), "broken\ud800", "x".repeat(600_000), "日本"];
    const state = {
      ids: new CapturedArray("Uint32Array", ids.length, (from, to, into) => into.set(ids.subarray(from, to))),
      names: new CapturedStrings(names.length, (from, to) => names.slice(from, to)),
      empty: new CapturedArray("Float64Array", 0, () => undefined),
      epoch: 9,
    };
    const bytes = await writeCheckpoint(dir, state);
    expect(bytes).toBe(readFileSync(join(dir, CHECKPOINT_FILE)).length);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state: { ids, names, empty: new Float64Array(0), epoch: 9 } });
  });

  it("leaves the previous checkpoint whole when reading the state fails in the middle of a write", async () => {
    const dir = fresh();
    await writeCheckpoint(dir, { epoch: 1 });
    let slices = 0;
    const failing = new CapturedArray("Uint32Array", 300_000, (_from, _to, into) => {
      if (++slices === 3) throw new RangeError("state went away");
      into.fill(7);
    });
    await expect(writeCheckpoint(dir, { epoch: 2, ids: failing })).rejects.toThrow("state went away");
    expect(slices).toBe(3);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state: { epoch: 1 } });
  });

  it("moves a file that is not a checkpoint aside", async () => {
    const dir = fresh();
    writeFileSync(join(dir, CHECKPOINT_FILE), "hello");
    expect(await readCheckpoint(dir, NOW)).toMatchObject({ kind: "corrupt", reason: "not a tagstream checkpoint (bad header)" });
  });
});
