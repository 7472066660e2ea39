/**
 * The recording format of `--record` and `--replay`: JSON lines. The first line describes the
 * recording; each other line is one event frame exactly as a server sent it (its `stream` array,
 * `event` name and `payload` string, untouched), with when and through which server it arrived:
 *
 *   {"format":"tagstream-recording","version":1,"source":"live","stream":"public","instances":["mastodon.social"],"startedAt":"..."}
 *   {"t":1732190000123,"instance":"mastodon.social","stream":["public"],"event":"update","payload":"{\"id\":...}"}
 *
 * Only event frames are kept: error frames and pings belong to a connection, not to the stream.
 */
import type { Source } from "../../../shared/messages.ts";

const FORMAT = "tagstream-recording";
const VERSION = 1;

export interface RecordingHeader {
  readonly source: Source;
  /** The stream followed, as MASTODON_STREAM names it: a replay subscribes to the same. */
  readonly stream: string;
  readonly instances: readonly string[];
  readonly startedAt: string;
}

export interface StreamFrame {
  readonly stream: readonly string[];
  readonly event: string;
  readonly payload: string;
}

export interface RecordedFrame extends StreamFrame {
  /** Arrival time, ms since the epoch. */
  readonly t: number;
  readonly instance: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function encodeHeader(header: RecordingHeader): string {
  return `${JSON.stringify({ format: FORMAT, version: VERSION, ...header })}\n`;
}

/** The header, or a sentence saying why the line is not one. */
export function parseHeader(line: string): RecordingHeader | string {
  const value = parseObject(line);
  if (value?.format !== FORMAT) return "its first line is not a tagstream recording header";
  if (value.version !== VERSION) return `it is version ${String(value.version)} of the format; this program reads version ${VERSION}`;
  const { source, stream, instances, startedAt } = value;
  if ((source !== "live" && source !== "demo") || typeof stream !== "string" || !isStrings(instances) || typeof startedAt !== "string") {
    return "its header is incomplete";
  }
  return { source, stream, instances, startedAt };
}

/** An event frame as a server sent it, or undefined for anything else (error frames, junk). */
export function parseStreamFrame(text: string): StreamFrame | undefined {
  const value = parseObject(text);
  if (value === undefined) return undefined;
  const { stream, event, payload } = value;
  return isStrings(stream) && typeof event === "string" && typeof payload === "string" ? { stream, event, payload } : undefined;
}

export function encodeFrame(frame: RecordedFrame): string {
  const { t, instance, stream, event, payload } = frame;
  return `${JSON.stringify({ t, instance, stream, event, payload })}\n`;
}

export function parseRecordedFrame(line: string): RecordedFrame | undefined {
  const value = parseObject(line);
  if (value === undefined || typeof value.t !== "number" || typeof value.instance !== "string") return undefined;
  const frame = parseStreamFrame(line);
  return frame && { t: value.t, instance: value.instance, ...frame };
}

/** The frame text a server would send for it. */
export function frameText(frame: StreamFrame): string {
  return JSON.stringify({ stream: frame.stream, event: frame.event, payload: frame.payload });
}
