/**
 * The aggregator's Prometheus metrics (prom-client), in one registry per process.
 *
 * Totals the engine and the intake already keep (lines, tags, refusals by reason, connections)
 * are read at scrape time through `collect`, so the hot path pays nothing for them; only events
 * that exist nowhere else (tick durations, broadcast bytes, event-time lag, checkpoint failures)
 * are recorded here. Totals that only grow are Prometheus counters (`rate()` and reset detection
 * work on them), even when their value is read from elsewhere at scrape time.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { EVENT_TIME_PROBLEMS, eventTimeProblem, type EventTimeProblem } from "./event-time.ts";
import { WebSocketMetrics } from "./websocket-metrics.ts";

export interface MetricsSources {
  /** Lines, tag occurrences and distinct tags counted since start. */
  counters(): {
    readonly lines: number;
    readonly tags: number;
    readonly distinct: number;
    /** With event time: late, before-window and future posts, and the watermark (ms). */
    readonly late?: number;
    readonly beforeWindow?: number;
    readonly future?: number;
    readonly watermark?: number;
  };
  /** Lines refused at the intake, by reason. */
  rejected(): ReadonlyMap<string, number>;
  /** Ingest connections the intake closed itself, by reason (refused, idle). */
  closedConnections(): ReadonlyMap<string, number>;
  /** Tags dropped from lines that still counted, by reason. */
  droppedTags(): ReadonlyMap<string, number>;
  /** Ingest connections open now. */
  ingestors(): number;
  /** The current tick epoch. */
  epoch(): number;
}

/** A replica's reading of the stream (cluster mode), read at scrape time. */
export interface ReplicaMetricsSources {
  /** Messages in the stream not yet applied, as the last delivery said. */
  lag(): number;
  /** The last stream sequence applied. */
  lastSeq(): number;
  /** Messages applied that were in the stream when the replica started. */
  replayed(): number;
  /** Epochs closed by an `epoch-end` marker, and by any other message. */
  closedByMarker(): number;
  closedByMessage(): number;
  /** Markers this replica published, and those the stream already held (another replica's). */
  markersPublished(): number;
  markersDuplicate(): number;
  /** Control messages dropped: not of the control schema, or a trigger the windows refuse. */
  badControl(): number;
  /** TCP lines published to the stream, found there already, and dropped with the queue full. */
  republished(): number;
  republishDuplicates(): number;
  republishDropped(): number;
}

/** A gauge set at scrape time from a figure kept elsewhere. */
function gaugeReading(registers: Registry[], name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers,
    collect() {
      this.set(read());
    },
  });
}

/** A counter has no `set`: at scrape time it is reset and raised to the total kept elsewhere. */
function counterReading(registers: Registry[], name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

export class AggregatorMetrics extends WebSocketMetrics {
  readonly #tickSeconds: Histogram;
  readonly #eventLag: Histogram;
  readonly #checkpointFailures: Counter;
  readonly #eventTimesIgnored: Counter<"reason">;
  #lastCheckpointAt: number | undefined;

  constructor(sources: MetricsSources, now: () => number = Date.now) {
    super();
    const registers = [this.registry];
    const snapshotGauge = (name: string, help: string, read: () => number): Gauge => gaugeReading(registers, name, help, read);
    const readCounter = (name: string, help: string, read: () => number): Counter => counterReading(registers, name, help, read);
    readCounter("tagstream_lines_total", "Lines counted since start (one per post).", () => sources.counters().lines);
    readCounter("tagstream_tags_total", "Hashtag occurrences counted since start.", () => sources.counters().tags);
    snapshotGauge("tagstream_distinct_tags", "Distinct tags seen since start.", () => sources.counters().distinct);
    snapshotGauge("tagstream_ingestors", "Ingest connections open now.", () => sources.ingestors());
    readCounter("tagstream_posts_late_total", "Posts older than the watermark (TIME=event): counted in complete only.", () => sources.counters().late ?? 0);
    readCounter(
      "tagstream_posts_before_window_total",
      "Posts older than a sliding window's start (TIME=event): not counted in that window.",
      () => sources.counters().beforeWindow ?? 0,
    );
    readCounter("tagstream_posts_future_total", "Posts dated after their arrival (clock skew), counted at their arrival.", () => sources.counters().future ?? 0);
    snapshotGauge("tagstream_watermark_seconds", "The event-time watermark: newest post time minus ALLOWED_LATENESS (0 before any).", () => (sources.counters().watermark ?? 0) / 1000);
    readCounter("tagstream_ticks_total", "Triggers run since start.", () => sources.epoch());
    const byReason = (name: string, help: string, read: () => ReadonlyMap<string, number>): Counter =>
      new Counter({
        name,
        help,
        labelNames: ["reason"],
        registers,
        collect() {
          this.reset();
          for (const [reason, n] of read()) this.inc({ reason }, n);
        },
      });
    byReason("tagstream_rejected_lines_total", "Lines refused at the intake since start, by reason.", () => sources.rejected());
    byReason(
      "tagstream_ingest_connections_closed_total",
      "Ingest connections the intake closed since start, by reason (refused or idle).",
      () => sources.closedConnections(),
    );
    byReason("tagstream_dropped_tags_total", "Tags dropped from lines that still counted, by reason.", () => sources.droppedTags());
    const lastCheckpoint = (): number | undefined => this.#lastCheckpointAt;
    new Gauge({
      name: "tagstream_checkpoint_age_seconds",
      help: "Seconds since the last checkpoint was written or restored (0 before the first).",
      registers,
      collect() {
        const at = lastCheckpoint();
        if (at !== undefined) this.set((now() - at) / 1000);
      },
    });
    this.#tickSeconds = new Histogram({
      name: "tagstream_tick_duration_seconds",
      help: "Time to close an interval, advance every window and compute the tops.",
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.#eventLag = new Histogram({
      name: "tagstream_event_time_lag_seconds",
      help: "Arrival time minus the post's created_at, for lines that carry it.",
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers,
    });
    this.#checkpointFailures = new Counter({
      name: "tagstream_checkpoint_failures_total",
      help: "Checkpoint writes that did not complete (the previous checkpoint stayed).",
      registers,
    });
    this.#eventTimesIgnored = new Counter({
      name: "tagstream_event_time_ignored_total",
      help: "Post times left out of the event-time lag, by reason (negative, future: over 5 min ahead, too-old: over 30 days).",
      labelNames: ["reason"],
      registers,
    });
    // Every reason shows from the start, at 0, so that a rate over it never starts from nothing.
    for (const reason of EVENT_TIME_PROBLEMS) this.#eventTimesIgnored.inc({ reason }, 0);
  }

  /** Cluster mode: the replica's figures, registered once. */
  observeReplica(sources: ReplicaMetricsSources): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number): Gauge => gaugeReading(registers, name, help, read);
    const counter = (name: string, help: string, read: () => number): Counter => counterReading(registers, name, help, read);
    gauge("tagstream_stream_lag_messages", "Messages in the stream this replica has not applied yet.", sources.lag);
    gauge("tagstream_stream_last_sequence", "The last stream sequence this replica applied.", sources.lastSeq);
    counter("tagstream_stream_replayed_total", "Messages applied that were in the stream when the replica started (a replay).", sources.replayed);
    new Counter({
      name: "tagstream_epochs_closed_total",
      help: "Epochs closed, by what closed them: an epoch-end marker, or a message of a later epoch.",
      labelNames: ["by"],
      registers,
      collect() {
        this.reset();
        this.inc({ by: "marker" }, sources.closedByMarker());
        this.inc({ by: "message" }, sources.closedByMessage());
      },
    });
    counter("tagstream_epoch_markers_published_total", "epoch-end markers this replica published.", sources.markersPublished);
    counter("tagstream_epoch_markers_duplicate_total", "epoch-end markers the stream already held (another replica's first).", sources.markersDuplicate);
    counter("tagstream_control_messages_dropped_total", "Control messages dropped: malformed, or a trigger the windows refuse.", sources.badControl);
    counter("tagstream_tcp_lines_published_total", "Lines from the TCP intake published to the stream.", sources.republished);
    counter("tagstream_tcp_lines_duplicate_total", "Lines from the TCP intake the stream already held (duplicates suppressed).", sources.republishDuplicates);
    counter("tagstream_tcp_lines_dropped_total", "Lines from the TCP intake dropped while too many waited for the stream.", sources.republishDropped);
  }

  observeTick(seconds: number): void {
    this.#tickSeconds.observe(seconds);
  }

  /** A post written at `ts` arrived at `now` (ms since the epoch): its lag, unless `ts` is implausible (event-time.ts). */
  observeEventTime(ts: number, now: number): void {
    const problem: EventTimeProblem | undefined = eventTimeProblem(ts, now);
    if (problem !== undefined) {
      this.#eventTimesIgnored.inc({ reason: problem });
      return;
    }
    // A post a little ahead of this clock (skew between hosts) arrived with no lag.
    this.#eventLag.observe(Math.max(0, now - ts) / 1000);
  }

  checkpointWritten(at: number): void {
    this.#lastCheckpointAt = at;
  }

  checkpointFailed(): void {
    this.#checkpointFailures.inc();
  }
}
