/**
 * Cuts a TCP byte stream into lines without trusting it.
 *
 * Works on Buffers: it scans for `\n` and decodes only complete lines. A line longer than
 * `maxLineBytes` is refused once and the rest of it is discarded up to the next newline, so a peer
 * that never sends one cannot grow memory. Invalid UTF-8 is refused, never decoded into U+FFFD
 * replacement characters that would count as a different tag.
 */
import { isUtf8 } from "node:buffer";
import type { FramingReject } from "../../../shared/line-protocol.ts";

export interface LineSink {
  /**
   * Offered each complete line's bytes first, before any decoding: returns true when it has taken
   * the line, false to have it decoded and passed to `line`.
   */
  plain?(bytes: Buffer, start: number, end: number): boolean;
  line(text: string): void;
  reject(reason: FramingReject): void;
}

const NEWLINE = 0x0a;

export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #sink: LineSink;
  /** Bytes of the current unterminated line, kept across chunks. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** True while skipping the tail of an over-long line. */
  #discarding = false;
  /** Newlines seen so far: lines ended, whatever became of them. */
  #ended = 0;

  constructor(maxLineBytes: number, sink: LineSink) {
    this.#maxLineBytes = maxLineBytes;
    this.#sink = sink;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        this.#keep(chunk.subarray(start));
        return;
      }
      this.#ended++;
      if (this.#discarding) {
        this.#discarding = false;
      } else if (this.#pendingBytes === 0) {
        this.#emit(chunk, start, end);
      } else {
        this.#keep(chunk.subarray(start, end));
        if (!this.#discarding) this.#emitWhole(Buffer.concat(this.#pending, this.#pendingBytes));
        this.#discarding = false;
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      start = end + 1;
    }
  }

  /** How many lines have ended (at a newline) so far. */
  get linesEnded(): number {
    return this.#ended;
  }

  /** True while a line has begun and not ended: its bytes are kept, or being skipped. */
  get midLine(): boolean {
    return this.#discarding || this.#pendingBytes > 0;
  }

  /** The peer closed: a last line without its newline still counts. */
  end(): void {
    if (!this.#discarding && this.#pendingBytes > 0) this.#emitWhole(Buffer.concat(this.#pending, this.#pendingBytes));
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#discarding = false;
  }

  #keep(part: Buffer): void {
    if (this.#discarding || part.length === 0) return;
    if (this.#pendingBytes + part.length > this.#maxLineBytes) {
      this.#sink.reject("too-long");
      this.#discarding = true;
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    this.#pending.push(part);
    this.#pendingBytes += part.length;
  }

  #emitWhole(bytes: Buffer): void {
    this.#emit(bytes, 0, bytes.length);
  }

  /** One line, `bytes[start..end)`: offered to the fast path, else checked and decoded. */
  #emit(bytes: Buffer, start: number, end: number): void {
    if (end - start > this.#maxLineBytes) this.#sink.reject("too-long");
    else if (this.#sink.plain?.(bytes, start, end) === true) return;
    else if (!isUtf8(bytes.subarray(start, end))) this.#sink.reject("invalid-utf8");
    else this.#sink.line(bytes.toString("utf8", start, end));
  }
}
