/** `--record FILE`: appends every event frame, as received, to a recording (see recording.ts). */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { encodeFrame, encodeHeader, parseStreamFrame, type RecordingHeader } from "./recording.ts";

export class FrameRecorder {
  readonly #out: WriteStream;
  #frames = 0;

  private constructor(out: WriteStream) {
    this.#out = out;
  }

  /**
   * Creates (or truncates) the file and writes the header; fails at once if the file cannot be
   * written. A later write error (a full disk) goes to `onError`.
   */
  static async open(file: string, header: RecordingHeader, onError: (error: Error) => void): Promise<FrameRecorder> {
    const out = createWriteStream(file, { flags: "w" });
    await Promise.race([once(out, "open"), once(out, "error").then(([error]) => Promise.reject(error as Error))]);
    out.on("error", onError);
    out.write(encodeHeader(header));
    return new FrameRecorder(out);
  }

  record(instance: string, text: string, at: number): void {
    const frame = parseStreamFrame(text);
    if (frame === undefined) return;
    this.#out.write(encodeFrame({ t: at, instance, ...frame }));
    this.#frames++;
  }

  get frames(): number {
    return this.#frames;
  }

  async close(): Promise<void> {
    if (this.#out.closed) return;
    this.#out.end();
    await once(this.#out, "close");
  }
}
