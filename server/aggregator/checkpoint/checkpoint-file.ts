/**
 * Durable, atomic checkpoint files.
 *
 * A checkpoint is written to a temporary file in the same directory, fsynced, renamed over the
 * previous one and the directory fsynced, so a crash at any instant leaves either the old or the
 * new checkpoint whole, never a torn one. The payload is V8's structured serialisation (typed
 * arrays and Maps survive as they are) behind a magic header and a SHA-256 of the payload, so a
 * truncated or altered file is recognised as corrupt instead of half-restored. The hash is computed
 * with WebCrypto, which runs on libuv's thread pool: for a checkpoint of tens of megabytes that is
 * a few hundred milliseconds the event loop does not spend.
 *
 * A write that does not complete (a full disk, an I/O error) fails before the rename: its
 * temporary file is removed and the previous checkpoint stays. Temporary files a crash left behind
 * are removed at the next start (`removeStaleTemporaries`).
 */
import { constants } from "node:fs";
import { access, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { writeFully, type WritableFile } from "./write-fully.ts";

const MAGIC = Buffer.from("TAGSTREAM-CHECKPOINT-1\n", "latin1");
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

/** Writes `state` durably over the previous checkpoint and returns the file's size; throws CheckpointWriteError if it could not. */
export async function writeCheckpoint(dir: string, state: unknown, { openTemporary = openForWriting }: CheckpointWriteOptions = {}): Promise<number> {
  const payload = serialize(state);
  const digest = await sha256(payload);
  const target = join(dir, CHECKPOINT_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    const file = await openTemporary(temporary);
    try {
      await writeFully(file, [MAGIC, digest, payload]);
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
  return MAGIC.length + HASH_BYTES + payload.length;
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
    return { state: deserialize(bytes.subarray(MAGIC.length + HASH_BYTES)) };
  } catch (error) {
    return { reason: `undecodable: ${(error as Error).message}` };
  }
}

async function verify(bytes: Buffer): Promise<string | undefined> {
  if (bytes.length < MAGIC.length + HASH_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return "not a tagstream checkpoint (bad header)";
  }
  const expected = bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES);
  const actual = await sha256(bytes.subarray(MAGIC.length + HASH_BYTES));
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
