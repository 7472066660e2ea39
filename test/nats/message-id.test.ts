import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeDeleteLine, encodeHelloLine, encodePlainLine, encodeTagLine, encodeUpdateLine } from "../../shared/line-protocol.ts";
import { postMessageId } from "../../server/nats/message-id.ts";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const line = (encoded: string): string => encoded.slice(0, -1);
const URI = "https://mastodon.example/users/ann/statuses/1";

describe("postMessageId", () => {
  it("is the sha256 of the operation and the uri for a new post and a delete", () => {
    expect(postMessageId(line(encodeTagLine({ tags: ["rust"], id: URI, ts: 1, lang: "en", acct: "ann@mastodon.example" })))).toBe(sha256(`post\n${URI}`));
    expect(postMessageId(line(encodeDeleteLine(URI)))).toBe(sha256(`delete\n${URI}`));
  });

  it("gives the same post the same id whatever else its line carries, and other posts other ids", () => {
    const a = postMessageId(line(encodeTagLine({ tags: ["rust"], id: URI, ts: 1 })));
    const b = postMessageId(line(encodeTagLine({ tags: ["Rust", "go"], id: URI, ts: 2, lang: "de" })));
    const other = postMessageId(line(encodeTagLine({ tags: ["rust"], id: `${URI}0`, ts: 1 })));
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    expect(postMessageId(line(encodeDeleteLine(URI)))).not.toBe(a);
  });

  it("includes an edit's tags, sorted and each once, so different edits differ and equal ones agree", () => {
    const edit = postMessageId(line(encodeUpdateLine({ id: URI, tags: ["b", "a"] })));
    expect(edit).toBe(sha256(`update\n${URI}\na\nb`));
    expect(postMessageId(line(encodeUpdateLine({ id: URI, tags: ["A", "b", "a"] })))).toBe(edit);
    expect(postMessageId(line(encodeUpdateLine({ id: URI, tags: ["a"] })))).not.toBe(edit);
    expect(postMessageId(line(encodeUpdateLine({ id: URI, tags: [] })))).toBe(sha256(`update\n${URI}`));
  });

  it("is undefined for lines that are not post events", () => {
    expect(postMessageId(line(encodePlainLine(["rust", "go"])))).toBeUndefined();
    expect(postMessageId(line(encodeTagLine({ tags: ["rust"] })))).toBeUndefined();
    expect(postMessageId(line(encodeHelloLine({ source: "live", instances: ["a"] })))).toBeUndefined();
    expect(postMessageId("")).toBeUndefined();
    expect(postMessageId("{not json")).toBeUndefined();
    expect(postMessageId('{"op":"delete"}')).toBeUndefined();
  });

  it("ignores a trailing carriage return", () => {
    expect(postMessageId(`${line(encodeDeleteLine(URI))}\r`)).toBe(sha256(`delete\n${URI}`));
  });
});
