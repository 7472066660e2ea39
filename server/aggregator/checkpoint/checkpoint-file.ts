/**
 * Durable, atomic checkpoint files.
 *
 * A checkpoint is written to a temporary file in the same directory, fsynced, renamed over the
 * previous one and the directory fsynced, so a crash at any instant leaves either the old or the
 * new checkpoint whole, never a torn one. The file is a magic header, the payload
 * (checkpoint-encoding.ts) and a SHA-256 of the payload, so a truncated or altered file is
 * recognised as corrupt instead of half-restored.
 *
 * The payload is encoded, hashed and written a slice at a time: between two slices the event loop
 * runs (each write waits for the thread pool), and only the slice being written is held in memory.
 * The hash (a millisecond a megabyte at most) therefore comes last. On reading, it is checked with
 * WebCrypto, on libuv's thread pool.
 *
 * A write that does not complete (a full disk, an I/O error) fails before the rename: its
 * temporary file is removed and the previous checkpoint stays. Temporary files a crash left behind
 * are removed at the next start (`removeStaleTemporaries`).
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { decodeCheckpointPayload, encodeCheckpoint } from "./checkpoint-encoding.ts";
import { writeFully, type WritableFile } from "./write-fully.ts";

/** Format 1 held a V8 serialisation of the whole state, its hash first. */
const FORMAT = 2;
const MAGIC = Buffer.from(`TAGSTREAM-CHECKPOINT-${FORMAT}\n`, "latin1");
const HASH_BYTES = 32;
export const CHECKPOINT_FILE = "state.checkpoint";

export type CheckpointRead =
  | { readonly kind: "restored"; readonly state: unknown }
  | { readonly kind: "missing" }
  | { readonly kind: "corrupt"; readonly reason: string; readonly movedTo: string };
export type CheckpointSetAside = Extract<CheckpointRead, { kind: "corrupt" }>;

/** STATE_DIR cannot be created or written: the process would run without the durability asked for. */
export class CheckpointDirError extends Error {
  constructor(dir: string, cause: unknown) {
    super(`STATE_DIR ${dir} cannot hold checkpoints: ${(cause as Error).message}`, { cause });
    this.name = "CheckpointDirError";
  }
}

/** Creates the directory if needed and checks it is writable, so that a bad STATE_DIR stops the start, not the first checkpoint. */
export async function prepareCheckpointDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new CheckpointDirError(dir, error);
  }
}

/** A checkpoint write that did not complete; the previous checkpoint, if any, is untouched. */
export class CheckpointWriteError extends Error {
  constructor(path: string, cause: unknown) {
    super(`checkpoint ${path} not written: ${(cause as Error).message}`, { cause });
    this.name = "CheckpointWriteError";
  }
}

/** The file a write goes through: what `open` returns, as far as a write uses it. */
export type CheckpointTemporary = WritableFile & { sync(): Promise<void>; close(): Promise<void> };

export interface CheckpointWriteOptions {
  /** Opens the temporary file (default `fs.promises.open`; tests give one that writes short or fails). */
  readonly openTemporary?: (path: string) => Promise<CheckpointTemporary>;
}

const openForWriting = (path: string): Promise<CheckpointTemporary> => open(path, "w", 0o600);

/** `state.checkpoint.<pid>.tmp`: the pid keeps a write of this process apart from one a crashed process left. */
const TEMPORARY = new RegExp(`^${CHECKPOINT_FILE.replaceAll(".", "\\.")}\\.\\d+\\.tmp$`);

/**
 * Writes `state` (plain data, possibly holding captured arrays that are read as they are written)
 * as the checkpoint; returns the file's size, or throws CheckpointWriteError if it could not.
 */
export async function writeCheckpoint(dir: string, state: unknown, options: CheckpointWriteOptions = {}): Promise<number> {
  const hash = createHash("sha256");
  function* file(): Generator<Uint8Array> {
    yield MAGIC;
    for (const slice of encodeCheckpoint(state)) {
      hash.update(slice);
      yield slice;
    }
    yield hash.digest();
  }
  return writeAtomically(dir, file(), options.openTemporary ?? openForWriting);
}

/**
 * Writes the buffers in turn to a temporary file, fsyncs it and renames it over the checkpoint, then
 * fsyncs the directory. Each buffer is taken from `buffers` only once the previous one is written
 * whole (`writeFully`: a short write is written on, one that makes no progress fails).
 */
async function writeAtomically(dir: string, buffers: Iterable<Uint8Array>, openTemporary: (path: string) => Promise<CheckpointTemporary>): Promise<number> {
  const target = join(dir, CHECKPOINT_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  let bytes = 0;
  try {
    await mkdir(dir, { recursive: true });
    const file = await openTemporary(temporary);
    try {
      for (const buffer of buffers) bytes += await writeFully(file, [buffer]);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, target);
  } catch (error) {
    // Whatever reached the temporary file is of no use, and on a full disk it holds the space the next write needs.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new CheckpointWriteError(target, error);
  }
  // Make the rename itself durable.
  const directory = await open(dir, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  return bytes;
}

/**
 * Removes the temporary files of writes a crash interrupted (a STATE_DIR belongs to one aggregator,
 * and this one has written nothing yet); returns how many and their bytes.
 */
export async function removeStaleTemporaries(dir: string): Promise<{ readonly files: number; readonly bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const name of await readdir(dir)) {
    if (!TEMPORARY.test(name)) continue;
    const path = join(dir, name);
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    await rm(path, { force: true });
    files++;
    bytes += size;
  }
  return { files, bytes };
}

export async function readCheckpoint(dir: string, now: () => number = Date.now): Promise<CheckpointRead> {
  const path = join(dir, CHECKPOINT_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return moveAside(path, `unreadable: ${(error as Error).message}`, now);
  }
  const decoded = await decodeCheckpoint(bytes);
  return "state" in decoded ? { kind: "restored", state: decoded.state } : moveAside(path, decoded.reason, now);
}

/** The state a checkpoint file's bytes hold, or why they hold none; reads nothing and moves nothing. */
export async function decodeCheckpoint(bytes: Buffer): Promise<{ readonly state: unknown } | { readonly reason: string }> {
  const reason = await verify(bytes);
  if (reason !== undefined) return { reason };
  try {
    return { state: decodeCheckpointPayload(bytes.subarray(MAGIC.length, bytes.length - HASH_BYTES)) };
  } catch (error) {
    return { reason: `undecodable: ${(error as Error).message}` };
  }
}

async function verify(bytes: Buffer): Promise<string | undefined> {
  const magic = bytes.subarray(0, MAGIC.length);
  if (!magic.equals(MAGIC)) {
    const other = /^TAGSTREAM-CHECKPOINT-(\d+)\n$/.exec(magic.toString("latin1"));
    return other === null ? "not a tagstream checkpoint (bad header)" : `checkpoint file format ${other[1]}; this version reads ${FORMAT}`;
  }
  if (bytes.length < MAGIC.length + HASH_BYTES) return "checksum mismatch (truncated or altered)";
  const expected = bytes.subarray(bytes.length - HASH_BYTES);
  const actual = await sha256(bytes.subarray(MAGIC.length, bytes.length - HASH_BYTES));
  return expected.equals(actual) ? undefined : "checksum mismatch (truncated or altered)";
}

async function sha256(bytes: Uint8Array): Promise<Buffer> {
  return Buffer.from(await crypto.subtle.digest("SHA-256", bytes));
}

/**
 * Moves the checkpoint aside for a reason found after reading it (one the program cannot use), as
 * `readCheckpoint` does with a corrupt one: it is kept for inspection, and the next start is fresh.
 */
export async function setCheckpointAside(dir: string, reason: string, now: () => number = Date.now): Promise<CheckpointSetAside> {
  return moveAside(join(dir, CHECKPOINT_FILE), reason, now);
}

async function moveAside(path: string, reason: string, now: () => number): Promise<CheckpointSetAside> {
  const movedTo = `${path}.corrupt-${new Date(now()).toISOString().replaceAll(":", "-")}`;
  try {
    await rename(path, movedTo);
  } catch {
    // Could not keep it for inspection: remove it so the next start does not trip on it again.
    await rm(path, { force: true });
  }
  return { kind: "corrupt", reason, movedTo };
}
