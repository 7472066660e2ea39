/**
 * `--replay FILE [--speed N]`: plays a recording back through masto and the ingestor's one
 * processing path, so a day can be watched again and a bug reproduced from its frames. Frames keep
 * their recorded spacing divided by `speed` (0: as fast as possible), and the pipeline is handed
 * each frame's recorded arrival time, so posts are remembered and forgotten as they were live.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { setImmediate as nextTurn, setTimeout as delay } from "node:timers/promises";
import { createStreamingAPIClient } from "masto";
import { parseMastodonStream, type MastodonStream } from "../../config/mastodon-stream.ts";
import { subscribe, type StreamEvent } from "../mastodon/mastodon-session.ts";
import { frameText, parseHeader, parseRecordedFrame, type RecordingHeader } from "./recording.ts";
import { ReplayChannel } from "./replay-socket.ts";

export class RecordingError extends Error {
  readonly code = "RECORDING_UNREADABLE";

  constructor(file: string, reason: string, options?: ErrorOptions) {
    super(`cannot replay ${file}: ${reason}`, options);
    this.name = "RecordingError";
  }
}

export interface OpenRecording {
  readonly header: RecordingHeader;
  readonly stream: MastodonStream;
  readonly lines: AsyncIterator<string>;
}

export async function openRecording(file: string): Promise<OpenRecording> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await lines.next();
  } catch (error) {
    throw new RecordingError(file, (error as Error).message, { cause: error });
  }
  const header = first.done === true ? "it is empty" : parseHeader(first.value);
  if (typeof header === "string") throw new RecordingError(file, header);
  const stream = parseMastodonStream(header.stream);
  if (typeof stream === "string") throw new RecordingError(file, `its stream is unknown: ${stream}`);
  return { header, stream, lines };
}

export interface ReplaySummary {
  readonly played: number;
  /** Lines that are not frames of a recorded instance. */
  readonly skipped: number;
}

export type ReplayHandler = (instance: string, event: StreamEvent, at: number) => void;

export async function playRecording(recording: OpenRecording, speed: number, signal: AbortSignal, onEvent: ReplayHandler): Promise<ReplaySummary> {
  let now = 0;
  const channels = new Map<string, ReplayChannel>();
  const clients = recording.header.instances.map((instance) => {
    const channel = new ReplayChannel();
    channels.set(instance, channel);
    const client = createStreamingAPIClient({ streamingApiUrl: "ws://replay.invalid", retry: false, log: "error", implementation: channel.socketClass() });
    const consumed = (async () => {
      for await (const event of subscribe(client, recording.stream)) onEvent(instance, event, now);
    })().catch(() => {});
    return { client, channel, consumed };
  });

  let played = 0;
  let skipped = 0;
  try {
    await Promise.race([Promise.all(clients.map(({ channel }) => channel.subscribed)), aborted(signal)]);
    const startedAt = Date.now();
    let firstAt: number | undefined;
    for (let line = await recording.lines.next(); line.done !== true && !signal.aborted; line = await recording.lines.next()) {
      const frame = parseRecordedFrame(line.value);
      const channel = frame && channels.get(frame.instance);
      if (frame === undefined || channel === undefined) {
        if (line.value.trim() !== "") skipped++;
        continue;
      }
      firstAt ??= frame.t;
      const wait = speed > 0 ? startedAt + (frame.t - firstAt) / speed - Date.now() : 0;
      if (wait > 0) await delay(wait, undefined, { signal }).catch(() => {});
      if (signal.aborted) break;
      now = frame.t;
      channel.play(frameText(frame));
      played++;
      // Let masto and the pipeline finish this frame before the next one sets the clock.
      await nextTurn();
    }
  } finally {
    for (const { channel, client } of clients) {
      channel.end();
      client.close();
    }
    await Promise.all(clients.map(({ consumed }) => consumed));
  }
  return { played, skipped };
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
