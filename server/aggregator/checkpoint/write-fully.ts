/**
 * Writes every byte of a list of buffers, or fails.
 *
 * `writev(2)` may write fewer bytes than asked without an error: on a full disk it writes what
 * fits and only the next call reports ENOSPC. A caller that ignores the count keeps a torn file and
 * believes it whole, so the rest is written again until nothing is left, and a call that makes no
 * progress at all is an error too (it would otherwise loop for ever).
 */
/** The part of a file handle (`fs.promises.FileHandle`) a full write needs; tests give one that writes short or fails. */
export interface WritableFile {
  writev(buffers: Uint8Array[]): Promise<{ readonly bytesWritten: number }>;
}

/** A write that did not complete; `written` of `total` bytes reached the file. */
export class ShortWriteError extends Error {
  readonly written: number;
  readonly total: number;
  constructor(written: number, total: number, cause?: unknown) {
    const why = cause instanceof Error ? cause.message : "no progress";
    super(`wrote ${written} of ${total} bytes: ${why}`, { cause });
    this.name = "ShortWriteError";
    this.written = written;
    this.total = total;
  }
}

export async function writeFully(file: WritableFile, buffers: readonly Uint8Array[]): Promise<number> {
  const total = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  let pending = buffers.filter((buffer) => buffer.byteLength > 0);
  let written = 0;
  while (pending.length > 0) {
    let bytesWritten: number;
    try {
      ({ bytesWritten } = await file.writev(pending));
    } catch (error) {
      throw new ShortWriteError(written, total, error);
    }
    if (bytesWritten <= 0) throw new ShortWriteError(written, total);
    written += bytesWritten;
    pending = skipBytes(pending, bytesWritten);
  }
  return written;
}

/** The buffers without their first `count` bytes (views, nothing copied). */
function skipBytes(buffers: readonly Uint8Array[], count: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let skip = count;
  for (const buffer of buffers) {
    if (skip >= buffer.byteLength) {
      skip -= buffer.byteLength;
      continue;
    }
    rest.push(skip === 0 ? buffer : buffer.subarray(skip));
    skip = 0;
  }
  return rest;
}
