/**
 * A web node's Prometheus metrics: what it relays (epochs served, copies and stale frames ignored,
 * changes of the quickest replica), what it refused and the requests it could not get answered;
 * beside its WebSocket clients, recorded as the aggregator records them (websocket-metrics.ts).
 */
import { Counter, Gauge } from "prom-client";
import { WebSocketMetrics } from "../metrics/websocket-metrics.ts";

/** Why a frame from NATS was not served. */
export type IgnoredFrame = "copy" | "stale";
/** Why a frame or reply from NATS was refused (and counted, never thrown). */
export type InvalidInput = "frame" | "epoch-header" | "store";
/** Why a request to the replicas got no usable answer. */
export type RequestFailure = "no-replica" | "timeout" | "error-reply" | "invalid-reply" | "connection";

export class WebNodeMetrics extends WebSocketMetrics {
  readonly #servedEpoch: Gauge;
  readonly #epochs: Counter;
  readonly #ignored: Counter<"reason">;
  readonly #failovers: Counter;
  readonly #invalid: Counter<"reason">;
  readonly #requestErrors: Counter<"reason">;
  readonly #hellos: Counter;

  constructor() {
    super();
    const registers = [this.registry];
    this.#servedEpoch = new Gauge({ name: "tagstream_served_epoch", help: "The epoch of the snapshot served now (0 before the first).", registers });
    this.#epochs = new Counter({ name: "tagstream_epochs_served_total", help: "Snapshots served: the first copy of each new epoch.", registers });
    this.#hellos = new Counter({ name: "tagstream_hellos_served_total", help: "Hellos served: settings that changed.", registers });
    this.#ignored = new Counter({
      name: "tagstream_frames_ignored_total",
      help: "Frames not served: another replica's copy of an epoch already served (copy), or an older one (stale).",
      labelNames: ["reason"],
      registers,
    });
    this.#failovers = new Counter({
      name: "tagstream_failovers_total",
      help: "First copies of an epoch that came from another replica than the epoch before's.",
      registers,
    });
    this.#invalid = new Counter({
      name: "tagstream_invalid_inputs_total",
      help: "Frames and stored values from NATS refused by validation (a bad frame, a missing or wrong epoch header, a bad stored value).",
      labelNames: ["reason"],
      registers,
    });
    this.#requestErrors = new Counter({
      name: "tagstream_replica_request_errors_total",
      help: "Requests to the replicas without a usable answer (the client got 503), by reason.",
      labelNames: ["reason"],
      registers,
    });
    // Every reason shows from the start, at 0, so that a rate over it never starts from nothing.
    for (const reason of ["copy", "stale"] satisfies IgnoredFrame[]) this.#ignored.inc({ reason }, 0);
    for (const reason of ["frame", "epoch-header", "store"] satisfies InvalidInput[]) this.#invalid.inc({ reason }, 0);
    for (const reason of ["no-replica", "timeout", "error-reply", "invalid-reply", "connection"] satisfies RequestFailure[]) this.#requestErrors.inc({ reason }, 0);
  }

  epochServed(epoch: number, failover: boolean): void {
    this.#servedEpoch.set(epoch);
    this.#epochs.inc();
    if (failover) this.#failovers.inc();
  }

  helloServed(): void {
    this.#hellos.inc();
  }

  frameIgnored(reason: IgnoredFrame): void {
    this.#ignored.inc({ reason });
  }

  invalid(reason: InvalidInput): void {
    this.#invalid.inc({ reason });
  }

  requestFailed(reason: RequestFailure): void {
    this.#requestErrors.inc({ reason });
  }
}
