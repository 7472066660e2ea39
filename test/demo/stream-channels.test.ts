/** Routing rules and hashtag channel names, checked against Mastodon's behaviour. */
import { describe, expect, it } from "vitest";

import { craftStatus } from "../../server/demo/crafted-status.ts";
import { buildImageAttachment } from "../../server/demo/media-attachment-builder.ts";
import { channelsForStatus, resolveChannel } from "../../server/demo/stream-channels.ts";
import { StreamAuthenticationError, StreamRequestError } from "../../server/demo/streaming-errors.ts";
import { channelTagName, storedTagName } from "../../server/demo/tag-names.ts";

describe("channelsForStatus", () => {
  it("publishes a local status on public, public:local and its hashtag channels", () => {
    expect(channelsForStatus(craftStatus({ id: "1", acct: "alice", tags: ["Café", "art"] }))).toEqual([
      "timeline:hashtag:cafe",
      "timeline:hashtag:cafe:local",
      "timeline:hashtag:art",
      "timeline:hashtag:art:local",
      "timeline:public",
      "timeline:public:local",
    ]);
  });

  it("adds the media channels for a remote status with an attachment", () => {
    const media = [buildImageAttachment({ id: "5", serverDomain: "mastodon.example", remoteHost: "pixel.example", width: 4, height: 3, description: null })];
    expect(channelsForStatus(craftStatus({ id: "2", acct: "bob@pixel.example", mediaAttachments: media }))).toEqual([
      "timeline:public",
      "timeline:public:remote",
      "timeline:public:media",
      "timeline:public:remote:media",
    ]);
  });

  it("keeps replies to someone else on hashtag channels only, self-replies everywhere", () => {
    const author = { acct: "alice", accountId: "77" };
    expect(channelsForStatus(craftStatus({ id: "3", ...author, tags: ["x"], inReplyTo: { id: "1", accountId: "78" } }))).toEqual([
      "timeline:hashtag:x",
      "timeline:hashtag:x:local",
    ]);
    expect(channelsForStatus(craftStatus({ id: "4", ...author, inReplyTo: { id: "1", accountId: "77" } }))).toEqual([
      "timeline:public",
      "timeline:public:local",
    ]);
  });

  it("publishes unlisted statuses nowhere public", () => {
    expect(channelsForStatus(craftStatus({ id: "5", acct: "alice", tags: ["x"], visibility: "unlisted" }))).toEqual([]);
  });
});

describe("resolveChannel", () => {
  it("names hashtag streams with the tag as the client sent it", () => {
    expect(resolveChannel("hashtag", { tag: "#FediBlock" })).toEqual({
      key: "timeline:hashtag:fediblock",
      streamName: ["hashtag", "#FediBlock"],
    });
    expect(resolveChannel(["public:local", "public"], {})).toEqual({ key: "timeline:public:local", streamName: ["public:local"] });
  });

  it("refuses unknown streams, missing tags and lists with the real messages", () => {
    expect(() => resolveChannel("nope", {})).toThrow(new StreamRequestError("Unknown stream type"));
    expect(() => resolveChannel("hashtag:local", { tag: "" })).toThrow(new StreamRequestError("Missing tag name parameter"));
    expect(() => resolveChannel("list", { list: "3" })).toThrow(new StreamAuthenticationError("Not authorized to stream this list"));
  });
});

describe("tag names", () => {
  it("stores tags the way Mastodon's HashtagNormalizer names them", () => {
    expect(storedTagName("Café_ＴＥＳＴ-x·y")).toBe("cafe_testx·y");
    expect(storedTagName("ポケモン・GO")).toBe("ポケモン・go");
    expect(storedTagName("हिन्दी")).toBe("हिन्दी");
    expect(storedTagName("Łódź")).toBe("lodz");
    expect(storedTagName("Fußball")).toBe("fußball");
  });

  it("keys channels the way the streaming server's normalizeHashtag does", () => {
    expect(channelTagName("#Café")).toBe("cafe");
    expect(channelTagName("ポケモン・GO")).toBe("ポケモンgo");
    expect(channelTagName("हिन्दी")).toBe("हनद");
    expect(channelTagName("ゲーム")).toBe("ゲーム");
  });
});
