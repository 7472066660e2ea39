/**
 * A replica's reading of the stream, message by message: each message first closes the epochs the
 * log says are over (log-epochs.ts), then is applied at its log time: a post line counted, a
 * control message obeyed. Everything it does depends on the messages alone (their order, stream
 * timestamps and bodies), so two replicas, or one replaying after a restart, do the same.
 *
 * Pure: no I/O and no clock; the aggregator gives it its hooks and the stream intake its messages.
 */
import { controlMessageSchema, type ControlMessage } from "../nats/cluster-wire.ts";
import { LogEpochs, type LogEpochState } from "./log-epochs.ts";

/** One message of the stream as the replica needs it. */
export interface StreamMessage {
  readonly seq: number;
  /** The stream's timestamp (ms since the epoch): stable under replay. */
  readonly ts: number;
  /** From the control subject (else a line of the line protocol). */
  readonly control: boolean;
  readonly data: Uint8Array;
}

/** Where a replica is in the stream: kept in its checkpoint, so that it goes on from `seq + 1`. */
export interface StreamPosition {
  readonly stream: string;
  /** The last sequence applied (0 before any). */
  readonly seq: number;
  /** The first epoch's start: when the counts began, in log time. */
  readonly origin: number | undefined;
  readonly epochs: LogEpochState;
}

export interface ReplicaHooks {
  /** The very first message: the counts begin at `origin` (log time). */
  begin(origin: number): void;
  /** Closes the epoch ending at `at` (log time). */
  tick(at: number): void;
  /** A trigger change takes effect: epochs from now on last `ms`. */
  triggerChanged(ms: number): void;
  /** What is wrong with a trigger interval, or undefined (the same check as `PUT /api/config`). */
  triggerProblem(ms: number): string | undefined;
  /** A line of the line protocol, applied at log time `now`. */
  line(data: Uint8Array, now: number): void;
}

export interface ReplicaCounts {
  readonly applied: number;
  /** Messages applied that were in the stream when the replica started (a replay). */
  readonly replayed: number;
  readonly closedByMarker: number;
  readonly closedByMessage: number;
  /** Control messages that were not valid JSON of the control schema, or a trigger refused. */
  readonly badControl: number;
  /** Messages skipped because their sequence was at or before the last applied. */
  readonly skipped: number;
}

export class LogReplica {
  readonly #stream: string;
  readonly #epochs: LogEpochs;
  readonly #hooks: ReplicaHooks;
  #seq: number;
  #origin: number | undefined;
  #replayUpTo = 0;
  #counts = { applied: 0, replayed: 0, closedByMarker: 0, closedByMessage: 0, badControl: 0, skipped: 0 };

  constructor(options: { stream: string; triggerMs: number; longestWindowMs: number | undefined }, hooks: ReplicaHooks, saved?: StreamPosition) {
    this.#stream = options.stream;
    this.#epochs = new LogEpochs(options, saved?.epochs);
    this.#hooks = hooks;
    this.#seq = saved?.seq ?? 0;
    this.#origin = saved?.origin;
  }

  get epochs(): LogEpochs {
    return this.#epochs;
  }

  get counts(): ReplicaCounts {
    return { ...this.#counts };
  }

  /** The last sequence applied. */
  get seq(): number {
    return this.#seq;
  }

  /** Messages up to `seq` were in the stream before this replica started: applying them is a replay. */
  replayUpTo(seq: number): void {
    this.#replayUpTo = seq;
  }

  get replaying(): boolean {
    return this.#seq < this.#replayUpTo;
  }

  position(): StreamPosition {
    return { stream: this.#stream, seq: this.#seq, origin: this.#origin, epochs: this.#epochs.state() };
  }

  apply(message: StreamMessage): void {
    // An ordered consumer delivers each sequence once and in order; this guards a restart's overlap.
    if (message.seq <= this.#seq) {
      this.#counts.skipped++;
      return;
    }
    this.#seq = message.seq;
    this.#counts.applied++;
    if (message.seq <= this.#replayUpTo) this.#counts.replayed++;
    const control = message.control ? this.#control(message.data) : undefined;
    const first = this.#epochs.open === undefined;
    const { steps, now } = this.#epochs.arrive(message.ts);
    if (first) {
      const origin = this.#epochs.state().start ?? now;
      this.#origin = origin;
      this.#hooks.begin(origin);
    }
    let closed = 0;
    for (const step of steps) {
      if (step.kind === "tick") {
        closed++;
        this.#hooks.tick(step.at);
      } else this.#hooks.triggerChanged(step.ms);
    }
    if (control?.kind === "epoch-end") this.#counts.closedByMarker += closed;
    else this.#counts.closedByMessage += closed;

    if (!message.control) this.#hooks.line(message.data, now);
    else if (control?.kind === "trigger") {
      if (this.#hooks.triggerProblem(control.ms) === undefined) this.#epochs.changeTrigger(control.ms);
      else this.#counts.badControl++;
    }
  }

  #control(data: Uint8Array): ControlMessage | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(data));
    } catch {
      parsed = undefined;
    }
    const result = controlMessageSchema.safeParse(parsed);
    if (!result.success) {
      this.#counts.badControl++;
      return undefined;
    }
    return result.data;
  }
}
