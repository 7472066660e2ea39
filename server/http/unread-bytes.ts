/**
 * How many bytes sent to one WebSocket client it has not read yet, learnt from its pongs.
 *
 * `ws`'s `bufferedAmount` counts only what waits in the process. Behind it the kernel's send buffer
 * (autotuned up to `net.ipv4.tcp_wmem`, 4 MiB by default on Linux) and the client's receive buffer
 * hold megabytes more for a client that stopped reading, and Node cannot shrink the send buffer.
 * A peer answers a ping only once it has read everything sent before it (RFC 6455 §5.5.2-3), so a
 * ping that carries the count of bytes sent before it comes back as a receipt for them. One probe
 * is outstanding at a time; its pong sends the next if more went out meanwhile. What was sent
 * after the last receipt is an upper bound on everything the connection holds for the client, in
 * the process and in both kernels.
 */
import { randomBytes } from "node:crypto";

export class UnreadBytes {
  #sent = 0;
  #read = 0;
  /** The payload of the probe awaiting its pong, and the bytes it confirms. */
  #probe: { readonly payload: string; readonly sent: number } | undefined;

  /** Bytes sent that the client has not confirmed reading. */
  get unread(): number {
    return this.#sent - this.#read;
  }

  /** Counts `bytes` sent; returns the payload of a ping to send after them, if none is outstanding. */
  sent(bytes: number): string | undefined {
    this.#sent += bytes;
    return this.#probe === undefined ? this.#newProbe() : undefined;
  }

  /**
   * A pong: when it answers the outstanding probe, what was sent before that probe is read. Returns
   * the next probe's payload if more was sent since. Any other pong (a heartbeat's, a forged one)
   * confirms nothing.
   */
  pong(payload: string): string | undefined {
    if (this.#probe === undefined || payload !== this.#probe.payload) return undefined;
    this.#read = this.#probe.sent;
    this.#probe = undefined;
    return this.#sent > this.#read ? this.#newProbe() : undefined;
  }

  #newProbe(): string {
    // The byte count alone would do, but a client that reads nothing could then guess it.
    const payload = `${this.#sent}:${randomBytes(6).toString("base64url")}`;
    this.#probe = { payload, sent: this.#sent };
    return payload;
  }
}
