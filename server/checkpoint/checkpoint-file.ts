/**
 * Durable, atomic checkpoint files.
 *
 * A checkpoint is written to a temporary file in the same directory, fsynced, renamed over the
 * previous one and the directory fsynced, so a crash at any instant leaves either the old or the
 * new checkpoint whole, never a torn one. The payload is V8's structured serialisation (typed
 * arrays and Maps survive as they are) behind a magic header and a SHA-256 of the payload, so a
 * truncated or altered file is recognised as corrupt instead of half-restored.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";

const MAGIC = Buffer.from("TAGSTREAM-CHECKPOINT-1\n", "latin1");
const HASH_BYTES = 32;
export const CHECKPOINT_FILE = "state.checkpoint";

export type CheckpointRead =
  | { readonly kind: "restored"; readonly state: unknown }
  | { readonly kind: "missing" }
  | { readonly kind: "corrupt"; readonly reason: string; readonly movedTo: string };

export async function writeCheckpoint(dir: string, state: unknown): Promise<number> {
  await mkdir(dir, { recursive: true });
  const payload = serialize(state);
  const digest = createHash("sha256").update(payload).digest();
  const target = join(dir, CHECKPOINT_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  const file = await open(temporary, "w", 0o600);
  try {
    await file.writev([MAGIC, digest, payload]);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, target);
  // Make the rename itself durable.
  const directory = await open(dir, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  return MAGIC.length + HASH_BYTES + payload.length;
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
  const reason = verify(bytes);
  if (reason !== undefined) return moveAside(path, reason, now);
  try {
    return { kind: "restored", state: deserialize(bytes.subarray(MAGIC.length + HASH_BYTES)) };
  } catch (error) {
    return moveAside(path, `undecodable: ${(error as Error).message}`, now);
  }
}

function verify(bytes: Buffer): string | undefined {
  if (bytes.length < MAGIC.length + HASH_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return "not a tagstream checkpoint (bad header)";
  }
  const expected = bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES);
  const actual = createHash("sha256").update(bytes.subarray(MAGIC.length + HASH_BYTES)).digest();
  return expected.equals(actual) ? undefined : "checksum mismatch (truncated or altered)";
}

async function moveAside(path: string, reason: string, now: () => number): Promise<CheckpointRead> {
  const movedTo = `${path}.corrupt-${new Date(now()).toISOString().replaceAll(":", "-")}`;
  try {
    await rename(path, movedTo);
  } catch {
    // Could not keep it for inspection: remove it so the next start does not trip on it again.
    await rm(path, { force: true });
  }
  return { kind: "corrupt", reason, movedTo };
}
