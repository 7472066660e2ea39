/** What the intake refused, by reason, and who is connected: the edge's own bookkeeping. */
import type { IngestorHello, RejectReason } from "../../shared/line-protocol.ts";
import type { Source } from "../../shared/messages.ts";
import type { FramingReject } from "./line-splitter.ts";

export type IntakeRejectReason = RejectReason | FramingReject;

/** The refusal counts as plain data (connections are not state: they end with the process). */
export interface IntakeStatsState {
  readonly rejected: ReadonlyArray<readonly [IntakeRejectReason, number]>;
  readonly invalidTags: number;
}

export class IntakeStats {
  readonly rejected = new Map<IntakeRejectReason, number>();
  /** Tags dropped from otherwise valid lines because nothing of them survived normalisation. */
  invalidTags = 0;
  readonly #peers = new Map<object, IngestorHello | undefined>();

  reject(reason: IntakeRejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  get rejectedTotal(): number {
    let total = 0;
    for (const n of this.rejected.values()) total += n;
    return total;
  }

  exportState(): IntakeStatsState {
    return { rejected: [...this.rejected], invalidTags: this.invalidTags };
  }

  load(state: IntakeStatsState): void {
    for (const [reason, count] of state.rejected) this.rejected.set(reason, count);
    this.invalidTags = state.invalidTags;
  }

  connected(peer: object): void {
    this.#peers.set(peer, undefined);
  }

  announced(peer: object, hello: IngestorHello): void {
    this.#peers.set(peer, hello);
  }

  disconnected(peer: object): void {
    this.#peers.delete(peer);
  }

  get connections(): number {
    return this.#peers.size;
  }

  /** "demo" while any connected ingestor streams from the simulated server. */
  get source(): Source {
    for (const hello of this.#peers.values()) if (hello?.source === "demo") return "demo";
    return "live";
  }

  /** Instances the connected ingestors follow, sorted, without repeats. */
  get instances(): string[] {
    const all = new Set<string>();
    for (const hello of this.#peers.values()) for (const instance of hello?.instances ?? []) all.add(instance);
    return [...all].sort();
  }
}
