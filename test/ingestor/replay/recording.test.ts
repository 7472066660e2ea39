import { describe, expect, it } from "vitest";
import {
  encodeFrame,
  encodeHeader,
  frameText,
  parseHeader,
  parseRecordedFrame,
  parseStreamFrame,
} from "../../../server/ingestor/replay/recording.ts";

const HEADER = { source: "live", stream: "hashtag:rust", instances: ["mastodon.social", "fosstodon.org"], startedAt: "2026-01-01T00:00:00.000Z" } as const;

describe("recording format", () => {
  it("round-trips the header", () => {
    const line = encodeHeader(HEADER);
    expect(line.startsWith('{"format":"tagstream-recording","version":1,')).toBe(true);
    expect(parseHeader(line.trimEnd())).toEqual(HEADER);
  });

  it("says why a first line is not a header it can read", () => {
    expect(parseHeader("hello")).toBe("its first line is not a tagstream recording header");
    expect(parseHeader('{"format":"tagstream-recording","version":2}')).toBe("it is version 2 of the format; this program reads version 1");
    expect(parseHeader('{"format":"tagstream-recording","version":1,"source":"live"}')).toBe("its header is incomplete");
  });

  it("keeps an event frame exactly, payload string untouched, and rebuilds the frame a server sends", () => {
    const sent = '{"stream":["public"],"event":"update","payload":"{\\"id\\":\\"1\\",\\"tags\\":[]}"}';
    const frame = parseStreamFrame(sent);
    expect(frame).toEqual({ stream: ["public"], event: "update", payload: '{"id":"1","tags":[]}' });
    const line = encodeFrame({ t: 5, instance: "a.example", ...(frame as NonNullable<typeof frame>) });
    expect(parseRecordedFrame(line.trimEnd())).toEqual({ t: 5, instance: "a.example", ...frame });
    expect(frameText(frame as NonNullable<typeof frame>)).toBe(sent);
  });

  it("keeps only event frames", () => {
    expect(parseStreamFrame('{"error":"Missing access token","status":401}')).toBeUndefined();
    expect(parseStreamFrame("not json")).toBeUndefined();
    expect(parseRecordedFrame('{"stream":["public"],"event":"delete","payload":"1"}')).toBeUndefined();
  });
});
