import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    expect(file.calls.length).toBe(Math.ceil(bytes / 10));
    expect(file.calls[0]).toBe(bytes);
    expect(file.calls.at(-1)).toBe(bytes - 10 * (file.calls.length - 1));
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
