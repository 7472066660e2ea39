import { describe, expect, it } from "vitest";
import { BoundedLineQueue } from "../../server/queue/bounded-line-queue.ts";
import { silentLogger } from "../support/silent-logger.ts";

const queue = (maxLines: number, maxBytes: number) => new BoundedLineQueue<string>({ maxLines, maxBytes }, (line) => Buffer.byteLength(line, "utf8"), silentLogger);

describe("BoundedLineQueue", () => {
  it("drops the oldest past the line bound, counted, and keeps the rest in order", () => {
    const lines = queue(3, 1000);
    for (const line of ["a", "b", "c", "d", "e"]) lines.push(line);
    expect(lines.dropped).toBe(2);
    expect(lines.length).toBe(3);
    expect(lines.shift()).toBe("c");
    expect(lines.takeAll()).toEqual(["d", "e"]);
    expect({ length: lines.length, bytes: lines.bytes }).toEqual({ length: 0, bytes: 0 });
  });

  it("drops the oldest past the byte bound, counting UTF-8 bytes", () => {
    const lines = queue(100, 6);
    lines.push("éé"); // 4 bytes
    lines.push("ab");
    expect(lines.dropped).toBe(0);
    lines.push("c");
    expect(lines.dropped).toBe(1);
    expect(lines.takeAll()).toEqual(["ab", "c"]);
  });

  it("puts lines back in front, in order, and applies the bounds as if they had never left", () => {
    const lines = queue(4, 1000);
    for (const line of ["a", "b", "c", "d"]) lines.push(line);
    const taken = [lines.shift(), lines.shift()] as string[];
    lines.push("e");
    lines.push("f");
    lines.putBack(taken);
    expect(lines.dropped).toBe(2);
    expect(lines.takeAll()).toEqual(["c", "d", "e", "f"]);
  });

  it("stays correct across many pushes and shifts (its storage is compacted now and then)", () => {
    const lines = queue(10, 1_000_000);
    for (let n = 0; n < 5000; n++) lines.push(String(n));
    expect(lines.dropped).toBe(4990);
    expect(lines.bytes).toBe(40);
    expect(lines.takeAll()).toEqual(Array.from({ length: 10 }, (_, i) => String(4990 + i)));
  });
});
