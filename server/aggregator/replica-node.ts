/**
 * `serve` in cluster mode: an aggregator replica at the NATS edge. It reads the whole stream in
 * order from the position of its checkpoint (stream-intake.ts) and counts it by log time
 * (log-replica.ts); it publishes an `epoch-end` marker when the wall clock is past the open epoch's
 * end plus NATS_EPOCH_GRACE and nothing in the log has closed it; it sends every frame to
 * `<S>.out.frames` and the KV bucket of latest frames; and it answers `<S>.api.*` requests in the
 * replicas' queue group. The wire is cluster-wire.ts's.
 *
 * While it replays what was in the stream when it started it neither publishes frames nor answers
 * requests nor writes markers: what it would say is old, and the other replicas are saying the new.
 */
import { hostname } from "node:os";
import { jetstream } from "@nats-io/jetstream";
import { headers, type Msg, type Subscription } from "@nats-io/transport-node";
import { parseDuration } from "../../shared/duration.ts";
import { configUpdateSchema } from "../../shared/messages.ts";
import type { Config } from "../config/config.ts";
import type { NatsSettings } from "../config/nats-settings.ts";
import type { Logger } from "../log/logger.ts";
import { clusterSubjects, epochEndMessageId, FRAME_HEADERS, LATEST_KEYS, tagRequestSchema, topRequestSchema, type ConfigReply, type ControlMessage, type TopReply } from "../nats/cluster-wire.ts";
import { connectNats } from "../nats/nats-connection.ts";
import { ensureStream, openLatestBucket } from "../nats/stream-setup.ts";
import { startAggregator, type Aggregator } from "./aggregator.ts";
import { startStreamIntake } from "./intake/stream-intake.ts";
import { LineRepublisher } from "./intake/stream-republisher.ts";
import type { ClusterStatus } from "./snapshot-source.ts";

/** How often the wall clock is compared with the open epoch's end. */
const MARKER_CHECK_MS = 20;
/** A marker published that has not come back through the log is published again after this. */
const MARKER_RETRY_MS = 1000;
const TAIL_CHECK_MS = 1000;
/** How long the stream may have more than the replica read before its consumer is started anew. */
const STALL_MS = 3000;

export interface ReplicaNode {
  readonly aggregator: Aggregator;
  /** Who this replica is on the frames it sends: host:pid. */
  readonly replicaId: string;
  /** Stops reading, writes the final checkpoint (with its stream position), then leaves NATS. */
  close(): Promise<void>;
}

export async function startReplicaNode(config: Config, settings: NatsSettings, log: Logger, wallClock: () => number = Date.now): Promise<ReplicaNode> {
  const subjects = clusterSubjects(settings.stream);
  const replicaId = `${hostname()}:${process.pid}`;
  const connection = await connectNats(settings, `tagstream replica ${replicaId}`, log);
  const manager = await untilDone(() => ensureStream(connection, settings), "the stream", log);
  const latestFrames = await untilDone(() => openLatestBucket(connection, settings), "the KV bucket of latest frames", log);
  const js = jetstream(connection);
  const republisher = new LineRepublisher(connection, subjects.posts, log);
  const control = async (message: ControlMessage, msgID?: string): Promise<boolean> => {
    const ack = await js.publish(subjects.control, JSON.stringify(message), msgID === undefined ? {} : { msgID });
    return ack.duplicate;
  };
  const aggregator = await startAggregator({
    config,
    log,
    clock: wallClock,
    replica: {
      stream: settings.stream,
      lines: republisher.handler,
      requestTrigger(ms) {
        control({ kind: "trigger", ms }).then(
          () => log.info({ triggerMs: ms }, "trigger change published to the stream"),
          (error: unknown) => log.error({ err: error, triggerMs: ms }, "could not publish the trigger change"),
        );
      },
    },
  });
  const replica = aggregator.replica;
  if (replica === undefined) throw new Error("the aggregator did not start as a replica");
  const { first_seq: first, last_seq: tail } = (await untilDone(() => manager.streams.info(settings.stream), "the stream's tail", log)).state;
  replica.replayUpTo(tail);
  if (first > replica.seq + 1 && tail >= first) {
    // The stream no longer holds what comes after the checkpoint (NATS_MAX_AGE), or the first
    // messages another replica counted: this replica's counts cannot equal theirs.
    log.error({ firstInStream: first, nextToApply: replica.seq + 1 }, "the stream has dropped messages this replica has not applied: its counts will differ from the other replicas'");
  }
  log.info({ replicaId, fromSeq: replica.seq + 1, tail }, replica.replaying ? "replaying the stream up to its tail" : "reading the stream");

  let frameErrors = 0;
  const publishFrame = (frame: string): void => {
    const h = headers();
    h.set(FRAME_HEADERS.epoch, String(aggregator.latest().snapshot.epoch));
    h.set(FRAME_HEADERS.replica, replicaId);
    connection.publish(subjects.frames, frame, { headers: h });
    const key = frame.startsWith('{"type":"hello"') ? LATEST_KEYS.hello : LATEST_KEYS.snapshot;
    latestFrames.put(key, frame).catch((error: unknown) => {
      if (frameErrors++ % 100 === 0) log.warn({ err: (error as Error).message, key }, "could not keep the latest frame in KV");
    });
  };
  const unsubscribeFrames = aggregator.subscribe((frame) => {
    if (!replica.replaying) publishFrame(frame);
  });

  const intake = startStreamIntake(js, {
    stream: settings.stream,
    controlSubject: subjects.control,
    next: () => replica.seq + 1,
    apply: (message) => replica.apply(message),
    log,
  });
  // The stream's tail, asked every second: the lag is how far behind it the replica is, and a
  // consumer that delivers nothing while the tail is ahead has stalled (its server gone).
  let streamTail = tail;
  let stalledSince: { seq: number; at: number } | undefined;
  const lag = (): number => Math.max(0, streamTail - replica.seq);
  const watchTail = setInterval(() => {
    manager.streams.info(settings.stream).then(
      (info) => {
        streamTail = info.state.last_seq;
        const wall = wallClock();
        if (lag() === 0 || stalledSince?.seq !== replica.seq) stalledSince = lag() === 0 ? undefined : { seq: replica.seq, at: wall };
        else if (wall - stalledSince.at >= STALL_MS) {
          log.warn({ seq: replica.seq, tail: streamTail }, "nothing read from the stream while it has more: starting a new consumer");
          stalledSince = undefined;
          intake.restart();
        }
      },
      () => undefined,
    );
  }, TAIL_CHECK_MS);
  // Back on the cluster after losing it (a node gone, or the whole cluster away): read on with a new
  // consumer at once, rather than when the stall check notices seconds later.
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === "reconnect") intake.restart();
    }
  })();
  const caughtUp = (): boolean => !replica.replaying && intake.pending === 0;

  const markers = { published: 0, duplicate: 0 };
  let lastMarker: { at: number; wall: number } | undefined;
  const checkMarker = (): void => {
    if (!caughtUp()) return;
    const wall = wallClock();
    const at = replica.epochs.markerDue(wall, settings.epochGraceMs);
    if (at === undefined || (lastMarker?.at === at && wall - lastMarker.wall < MARKER_RETRY_MS)) return;
    lastMarker = { at, wall };
    control({ kind: "epoch-end", at }, epochEndMessageId(at)).then(
      (duplicate) => (duplicate ? markers.duplicate++ : markers.published++),
      (error: unknown) => log.warn({ err: (error as Error).message, at }, "could not publish an epoch-end marker"),
    );
  };

  const responders: Subscription[] = [];
  const respond = (subject: string, answer: (body: unknown) => unknown): void => {
    responders.push(
      connection.subscribe(subject, {
        queue: subjects.replicaQueue,
        callback: (error, message: Msg) => {
          if (error !== null) return;
          let reply: unknown;
          try {
            reply = answer(message.json());
          } catch {
            reply = { error: "the request is not JSON" };
          }
          message.respond(JSON.stringify(reply));
        },
      }),
    );
  };
  const answerRequests = (): void => {
    respond(subjects.tagCounts, (body) => {
      const request = tagRequestSchema.safeParse(body);
      return request.success ? aggregator.countsOf(request.data.tag) : { error: "expected {\"tag\": \"<name>\"}" };
    });
    respond(subjects.top, (body) => {
      const request = topRequestSchema.safeParse(body);
      if (!request.success) return { error: "expected {\"window\", \"n\", \"by\"?, \"lang\"?}" };
      const { window, n, by, lang } = request.data;
      // null: a window or language this replica does not have (the web node answers 404 as serve would).
      const reply: TopReply = aggregator.top(window, n, by, lang) ?? null;
      return reply;
    });
    respond(subjects.config, (body) => {
      const request = configUpdateSchema.safeParse(body);
      if (!request.success) return { error: "expected {\"triggerInterval\": \"<duration>\"}" };
      const text = request.data.triggerInterval;
      const ms = parseDuration(text);
      let reply: ConfigReply;
      if (ms === undefined) reply = { accepted: false, problem: `"${text}" is not a duration (e.g. "500ms", "2s", "1 minute")` };
      else {
        // Accepted: the change is in the stream, and every replica applies it at the same epoch.
        const problem = aggregator.setTriggerInterval(ms);
        reply = problem === undefined ? { accepted: true, triggerMs: ms } : { accepted: false, problem };
      }
      return reply;
    });
  };

  const timer = setInterval(() => {
    if (responders.length === 0 && !replica.replaying) {
      answerRequests();
      // A web node that starts later finds the settings in KV even if they never change.
      publishFrame(JSON.stringify(aggregator.hello()));
      log.info({ seq: replica.seq, replayed: replica.counts.replayed }, "caught up with the stream: answering requests");
    }
    checkMarker();
  }, MARKER_CHECK_MS);

  const status = (): ClusterStatus => {
    const counts = replica.counts;
    return {
      stream: settings.stream,
      replica: replicaId,
      lastSeq: replica.seq,
      lag: lag(),
      replaying: replica.replaying,
      replayed: counts.replayed,
      epochsClosed: { byMarker: counts.closedByMarker, byMessage: counts.closedByMessage },
    };
  };
  aggregator.metrics.observeReplica({
    lag,
    lastSeq: () => replica.seq,
    replayed: () => replica.counts.replayed,
    closedByMarker: () => replica.counts.closedByMarker,
    closedByMessage: () => replica.counts.closedByMessage,
    markersPublished: () => markers.published,
    markersDuplicate: () => markers.duplicate,
    badControl: () => replica.counts.badControl,
    republished: () => republisher.counts.published,
    republishDuplicates: () => republisher.counts.duplicates,
    republishDropped: () => republisher.counts.dropped,
  });

  return {
    aggregator: Object.assign(aggregator, { cluster: status }),
    replicaId,
    async close() {
      clearInterval(timer);
      clearInterval(watchTail);
      for (const responder of responders) responder.unsubscribe();
      unsubscribeFrames();
      try {
        await intake.close();
        await aggregator.close();
        await republisher.close();
      } finally {
        await connection.drain().catch(() => connection.close());
      }
    },
  };
}

/**
 * JetStream's API times out while a cluster elects its leaders (at start, after a node is lost):
 * what a replica needs to start is asked again until it is there, rather than ending the process.
 */
async function untilDone<T>(attempt: () => Promise<T>, what: string, log: Logger): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries === 1 || tries % 10 === 0) log.warn({ err: (error as Error).message, tries }, `could not open ${what} yet; trying again`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * tries)));
    }
  }
}
