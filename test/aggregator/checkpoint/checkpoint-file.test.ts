import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import {
  CHECKPOINT_FILE,
  CheckpointWriteError,
  readCheckpoint,
  removeStaleTemporaries,
  writeCheckpoint,
  type CheckpointTemporary,
} from "../../../server/aggregator/checkpoint/checkpoint-file.ts";
import { ShortWriteError, writeFully } from "../../../server/aggregator/checkpoint/write-fully.ts";
import { encodedCheckpoint } from "../../../server/aggregator/checkpoint/checkpoint-encoding.ts";
import { CapturedArray, CapturedStrings } from "../../../server/aggregator/engine/captured-arrays.ts";

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

/**
 * A real temporary file whose `writev` writes at most `chunk` bytes a call (as a kernel may), and
 * from call `failAt` on (counting from 1) writes nothing and fails with ENOSPC, as a full disk does.
 */
function shortWritingFile(chunk: number, failAt = Number.POSITIVE_INFINITY) {
  const calls: number[] = [];
  const openTemporary = async (path: string): Promise<CheckpointTemporary> => {
    const file: FileHandle = await open(path, "w", 0o600);
    return {
      async writev(buffers: Uint8Array[]) {
        calls.push(buffers.reduce((sum, b) => sum + b.byteLength, 0));
        if (calls.length >= failAt) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        return file.writev([Buffer.concat(buffers).subarray(0, chunk)]);
      },
      sync: () => file.sync(),
      close: () => file.close(),
    };
  };
  return { openTemporary, calls };
}

describe("checkpoint writes that do not complete at once", () => {
  it("go on after short writes until every byte is written", async () => {
    const dir = fresh();
    const state = { epoch: 3, totals: new Float64Array([1, 2, 3]), names: ["rust"] };
    const file = shortWritingFile(10);
    const bytes = await writeCheckpoint(dir, state, file);
    // The file goes out a buffer at a time (header, slices, hash): each call asks for the rest of
    // the buffer the short write before it cut, or, once one is done, for the next buffer whole.
    expect(file.calls.reduce((sum, asked) => sum + Math.min(asked, 10), 0)).toBe(bytes);
    file.calls.forEach((asked, i) => {
      const before = file.calls[i - 1];
      if (before !== undefined && before > 10) expect(asked).toBe(before - 10);
    });
    expect(file.calls.filter((asked) => asked > 10).length).toBeGreaterThan(0);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state });
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });

  it("fail on a short write followed by ENOSPC: the temporary file is removed and the previous checkpoint stays", async () => {
    const dir = fresh();
    await writeCheckpoint(dir, { epoch: 1 });
    const file = shortWritingFile(16, 2);
    const write = writeCheckpoint(dir, { epoch: 2, totals: new Float64Array(1000) }, file);
    await expect(write).rejects.toThrow(CheckpointWriteError);
    await expect(write).rejects.toThrow(
      `checkpoint ${join(dir, CHECKPOINT_FILE)} not written: wrote 16 of ${file.calls[0]} bytes: ENOSPC: no space left on device, write`,
    );
    expect(file.calls).toHaveLength(2);
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state: { epoch: 1 } });
  });

  it("fail when a write makes no progress, instead of trying for ever", async () => {
    const writes: number[] = [];
    const stuck = { writev: async (buffers: Uint8Array[]) => ({ bytesWritten: writes.push(buffers.length) && 0 }) };
    await expect(writeFully(stuck, [Buffer.from("abc")])).rejects.toThrow(new ShortWriteError(0, 3));
    expect(writes).toEqual([1]);
  });

  it("fail when the temporary file cannot be opened, leaving the previous checkpoint", async () => {
    const dir = fresh();
    await writeCheckpoint(dir, { epoch: 1 });
    const openTemporary = () => Promise.reject(Object.assign(new Error("EIO: i/o error, open"), { code: "EIO" }));
    await expect(writeCheckpoint(dir, { epoch: 2 }, { openTemporary })).rejects.toThrow("not written: EIO: i/o error, open");
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state: { epoch: 1 } });
  });
});

describe("temporary files left by interrupted writes", () => {
  it("are removed, counted with their bytes; the checkpoint and other files stay", async () => {
    const dir = fresh();
    await writeCheckpoint(dir, { epoch: 1 });
    writeFileSync(join(dir, `${CHECKPOINT_FILE}.4242.tmp`), "x".repeat(1000));
    writeFileSync(join(dir, `${CHECKPOINT_FILE}.17.tmp`), "y".repeat(24));
    writeFileSync(join(dir, `${CHECKPOINT_FILE}.corrupt-2026-11-21T12-00-00.000Z`), "kept for inspection");
    writeFileSync(join(dir, "notes.tmp"), "not ours");
    expect(await removeStaleTemporaries(dir)).toEqual({ files: 2, bytes: 1024 });
    expect(readdirSync(dir).sort()).toEqual(["notes.tmp", CHECKPOINT_FILE, `${CHECKPOINT_FILE}.corrupt-2026-11-21T12-00-00.000Z`]);
    expect(await readCheckpoint(dir)).toEqual({ kind: "restored", state: { epoch: 1 } });
    expect(await removeStaleTemporaries(dir)).toEqual({ files: 0, bytes: 0 });
  });
});
