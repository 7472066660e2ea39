/**
 * Closing an ingest connection the aggregator will not serve. The peer gets one line saying why
 * (`ERR <reason>`) and the end of the stream; whatever it still sends is read and discarded, so
 * that the close is a clean FIN rather than a reset that could destroy the line before the peer
 * reads it. A peer that does not close its side within `REFUSAL_GRACE_MS` is cut off.
 *
 * Nothing else is ever written to an ingest connection, so a peer that never reads cannot make the
 * aggregator hold data for it.
 */
import type net from "node:net";
import { encodeRefusalLine, type ConnectionRefusal } from "../../../shared/line-protocol.ts";

export const REFUSAL_GRACE_MS = 1000;

const discard = (): void => {};

export function refuseConnection(socket: net.Socket, reason: ConnectionRefusal): void {
  socket.removeAllListeners("data");
  socket.on("data", discard);
  socket.resume();
  socket.end(encodeRefusalLine(reason));
  const cutOff = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS);
  cutOff.unref();
  socket.once("close", () => clearTimeout(cutOff));
}

/** Log the 1st, 10th, 100th... of a kind of event: a flood shows, without a line per event. */
export const worthLogging = (count: number): boolean => count > 0 && 10 ** Math.floor(Math.log10(count)) === count;
