/** The receipts a WebSocket client's pongs give for the bytes sent to it (server/http/unread-bytes.ts). */
import { describe, expect, it } from "vitest";
import { UnreadBytes } from "../../server/http/unread-bytes.ts";

describe("UnreadBytes", () => {
  it("confirms what was sent before a probe when its pong comes, and probes again for the rest", () => {
    const receipts = new UnreadBytes();
    const first = receipts.sent(100);
    expect(first).toMatch(/^100:/);
    // One probe at a time: later frames wait for the next.
    expect(receipts.sent(50)).toBeUndefined();
    expect(receipts.sent(25)).toBeUndefined();
    expect(receipts.unread).toBe(175);

    const second = receipts.pong(first ?? "");
    expect(receipts.unread).toBe(75);
    expect(second).toMatch(/^175:/);
    expect(receipts.pong(second ?? "")).toBeUndefined();
    expect(receipts.unread).toBe(0);
    // Nothing outstanding: the next frame sends a probe at once.
    expect(receipts.sent(10)).toMatch(/^185:/);
    expect(receipts.unread).toBe(10);
  });

  it("confirms nothing from a heartbeat's empty pong, a stale one or a guessed one", () => {
    const receipts = new UnreadBytes();
    const probe = receipts.sent(1000) ?? "";
    receipts.sent(1000);
    for (const payload of ["", "1000", "2000:x", `${probe}x`]) expect(receipts.pong(payload)).toBeUndefined();
    expect(receipts.unread).toBe(2000);
    expect(receipts.pong(probe)).toMatch(/^2000:/);
    expect(receipts.pong(probe)).toBeUndefined();
    expect(receipts.unread).toBe(1000);
  });

  it("gives each probe a payload that cannot be told from the byte count alone", () => {
    const a = new UnreadBytes().sent(42);
    const b = new UnreadBytes().sent(42);
    expect(a).not.toBe(b);
    expect(Buffer.byteLength(a ?? "")).toBeLessThanOrEqual(125);
  });
});
