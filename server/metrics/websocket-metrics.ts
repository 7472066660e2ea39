/**
 * What every process that serves screens records about its WebSocket clients (the aggregator and
 * a web node alike, under the same names, so one dashboard reads both), in the process's one
 * registry with Node's default metrics. The process's own metrics extend it.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";

export class WebSocketMetrics {
  readonly registry = new Registry();
  readonly #broadcastBytes: Counter;
  readonly #clients: Gauge;
  readonly #unknownClientMessages: Counter;
  readonly #slowClientsDropped: Counter;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#broadcastBytes = new Counter({
      name: "tagstream_broadcast_bytes_total",
      help: "Snapshot bytes sent to WebSocket clients.",
      registers,
    });
    this.#clients = new Gauge({ name: "tagstream_websocket_clients", help: "WebSocket clients connected now.", registers });
    this.#unknownClientMessages = new Counter({
      name: "tagstream_websocket_unknown_messages_total",
      help: "Frames WebSocket clients sent (clients have nothing to say): ignored.",
      registers,
    });
    this.#slowClientsDropped = new Counter({
      name: "tagstream_websocket_slow_clients_dropped_total",
      help: "WebSocket clients dropped because too many bytes waited to be sent to them.",
      registers,
    });
  }

  addBroadcast(bytes: number): void {
    this.#broadcastBytes.inc(bytes);
  }

  setClients(count: number): void {
    this.#clients.set(count);
  }

  unknownClientMessage(): void {
    this.#unknownClientMessages.inc();
  }

  slowClientDropped(): void {
    this.#slowClientsDropped.inc();
  }
}
