/**
 * The aggregator's state as one piece of plain data, for checkpoints: the counting engine (every
 * window, sliding-window buckets, the open interval, the epoch), the post ledger (so that a
 * deletion after a restart still takes back what the post counted), the sparkline history, the
 * intake's refusal counts and the trigger interval in force. `startCapture` takes it at one
 * instant without copying the bulk, so that it is written out while the aggregator goes on
 * counting; `captureState` copies everything at once (the reference the capture must equal).
 *
 * Pure: no I/O and no clock; the checkpoint edge (checkpointing.ts) reads and writes it.
 */
import { COMPLETE_WINDOW, formatDuration } from "../../../shared/duration.ts";
import { HISTORY_TICKS, triggerBoundsProblem } from "../../../shared/messages.ts";
import { AGGREGATOR_STATE_FORMAT, AGGREGATOR_STATE_VERSION, stateShapeProblem } from "./aggregator-state-schema.ts";
import type { Capture, Captured } from "../engine/captured-arrays.ts";
import { CountingEngine, type EngineOptions } from "../engine/counting-engine.ts";
import { LanguageTops, type LanguageChoice } from "../engine/language-tops.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";
import { ENGINE_STATE_VERSION, type EngineState } from "../engine/engine-state.ts";
import { IntakeStats, type IntakeStatsState } from "./intake-stats.ts";
import { PostLedger, type PostLedgerLimits, type PostLedgerState } from "./post-ledger.ts";
import { TagHistory, type TagHistoryState } from "./tag-history.ts";
import type { StreamPosition } from "../log-replica.ts";

export { AGGREGATOR_STATE_FORMAT, AGGREGATOR_STATE_VERSION };

/** The settings a state was saved under: those that decide whether it can be restored, and the trigger. */
export interface SavedSettings {
  readonly windows: readonly string[];
  readonly capacity: number | undefined;
  readonly topN: number;
  /** TRIGGER_INTERVAL as configured when the state was saved. */
  readonly configuredTriggerMs: number;
  /** The interval in force, which `PUT /api/config` may have changed since the start. */
  readonly triggerMs: number;
}

export interface AggregatorState {
  readonly format: typeof AGGREGATOR_STATE_FORMAT;
  readonly version: typeof AGGREGATOR_STATE_VERSION;
  /** When the state was captured (ms since the epoch). */
  readonly savedAt: number;
  readonly settings: SavedSettings;
  readonly engine: EngineState;
  readonly posts: PostLedgerState;
  readonly history: TagHistoryState;
  readonly intake: IntakeStatsState;
  /**
   * In cluster mode, where in the stream this state is: the last sequence folded in and the
   * log's epochs. Absent on one machine (and in checkpoints from before cluster mode).
   */
  readonly stream?: StreamPosition;
}

/** The stateful pieces of a running aggregator. */
export interface AggregatorParts {
  readonly engine: CountingEngine;
  readonly posts: PostLedger;
  readonly history: TagHistory;
  readonly stats: IntakeStats;
  /** The per-language tops, when languages are kept (not checkpointed: they start afresh). */
  readonly languages?: LanguageTops | undefined;
}

export interface PartsOptions {
  readonly engine: Omit<EngineOptions, "now">;
  readonly postMemory: PostLedgerLimits;
  /** The ledger's clock: post ages are wall time, so they keep running across a restart. */
  readonly clock: () => number;
  /** Which languages get tops of their own (LANGUAGES); none without it. */
  readonly languages?: LanguageChoice | undefined;
}

/** Fresh parts, or parts restored from `saved`; throws when `saved` does not fit the options. */
export function buildParts(options: PartsOptions, now: number, saved?: AggregatorState): AggregatorParts {
  const engine = saved === undefined ? new CountingEngine({ ...options.engine, now }) : CountingEngine.restore(saved.engine, options.engine);
  const { windows, topN, capacity } = options.engine;
  const languages =
    options.languages === undefined
      ? undefined
      : new LanguageTops({ windows, topN, capacity: capacity ?? 1_000_000, choice: options.languages }, engine.latest.at, engine.latest.epoch);
  const parts = {
    engine,
    languages,
    posts: new PostLedger(engine, options.postMemory, options.clock, languages),
    history: new TagHistory(engine.windowNames, HISTORY_TICKS),
    stats: new IntakeStats(),
  };
  if (saved !== undefined) {
    parts.posts.load(saved.posts);
    parts.history.load(saved.history);
    parts.stats.load(saved.intake);
  }
  return parts;
}

/**
 * Brings restored parts up to `now`. The interval open at the checkpoint ended when it was saved:
 * closed then rather than now, its lines leave the sliding windows when they would have without the
 * restart. Then windows slide by wall time across the downtime, so the first snapshot already lacks
 * what left them.
 */
export function catchUp(parts: AggregatorParts, saved: AggregatorState, now: number): void {
  const tick = (at: number): void => {
    const result = parts.engine.tick(at);
    parts.history.record(result.windows, (tag) => parts.engine.countsOf(tag));
  };
  if (saved.engine.open.ids.length > 0 || saved.engine.retractions.length > 0) tick(Math.max(saved.savedAt, parts.engine.latest.at));
  tick(now);
}

/** The whole state copied now, synchronously. */
export function captureState(parts: AggregatorParts, settings: SavedSettings, savedAt: number, stream?: StreamPosition): AggregatorState {
  return {
    ...(stream !== undefined && { stream }),
    format: AGGREGATOR_STATE_FORMAT,
    version: AGGREGATOR_STATE_VERSION,
    savedAt,
    settings,
    engine: parts.engine.exportState(),
    posts: parts.posts.exportState(),
    history: parts.history.exportState(),
    intake: parts.stats.exportState(),
  };
}

/**
 * `captureState` without copying the bulk: the state as of `savedAt`, whose large arrays are read
 * later, while the aggregator goes on counting (see captured-arrays.ts). Release it once written.
 */
export function startCapture(parts: AggregatorParts, settings: SavedSettings, savedAt: number, stream?: StreamPosition): Capture<AggregatorState> {
  const engine = parts.engine.capture();
  const posts = parts.posts.capture();
  const state: Captured<AggregatorState> = {
    ...(stream !== undefined && { stream }),
    format: AGGREGATOR_STATE_FORMAT,
    version: AGGREGATOR_STATE_VERSION,
    savedAt,
    settings,
    engine: engine.state,
    posts: posts.state,
    history: parts.history.exportState(),
    intake: parts.stats.exportState(),
  };
  return {
    state,
    release() {
      engine.release();
      posts.release();
    },
  };
}

/** The names the engine gives these windows (`15m`, `complete`), as WINDOWS is written. */
export function windowNames(windows: readonly WindowSpec[]): string[] {
  return windows.map((spec) => (spec.kind === "complete" ? COMPLETE_WINDOW : formatDuration(spec.lengthMs)));
}

/**
 * Why `state` cannot be restored under the configured windows and capacity, or undefined when it
 * can. A state of another format or version, or not shaped as this version writes it, cannot be
 * restored at all (aggregator-state-schema.ts). Other windows would put saved counts under the wrong names, and the capacity shapes the
 * engine's Space-Saving summary, so either refuses the checkpoint. TOP_N only decides how much of
 * each window is shown: a checkpoint saved under another TOP_N is restored, and the first tick
 * computes the new tops.
 */
export function restoreProblem(state: unknown, configured: Pick<SavedSettings, "windows" | "capacity">, stream?: string): string | undefined {
  if (typeof state !== "object" || state === null || (state as { format?: unknown }).format !== AGGREGATOR_STATE_FORMAT) {
    return "not an aggregator checkpoint";
  }
  const { version, engine } = state as Partial<AggregatorState>;
  if (version !== AGGREGATOR_STATE_VERSION) return `checkpoint format ${String(version)}; this version reads ${AGGREGATOR_STATE_VERSION}`;
  if (typeof engine === "object" && engine !== null && engine.version !== ENGINE_STATE_VERSION) {
    return `engine state format ${String(engine.version)}; this version reads ${ENGINE_STATE_VERSION}`;
  }
  const shape = stateShapeProblem(state);
  if (shape !== undefined) return `malformed checkpoint (${shape})`;
  const { settings } = state as AggregatorState;
  const savedWindows = settings.windows.join(",");
  const now = configured.windows.join(",");
  if (savedWindows !== now) return `saved with WINDOWS=${savedWindows}, configured WINDOWS=${now}`;
  if (settings.capacity !== configured.capacity) {
    return `saved with ENGINE_CAPACITY=${String(settings.capacity ?? "none")}, configured ENGINE_CAPACITY=${String(configured.capacity ?? "none")}`;
  }
  // Counts without a stream position cannot go on from the stream: the stream would count them again.
  const saved = (state as AggregatorState).stream;
  if (stream !== undefined && saved === undefined) return "saved on one machine, without a stream position";
  if (stream !== undefined && saved !== undefined && saved.stream !== stream) return `saved from stream ${saved.stream}, configured NATS_STREAM=${stream}`;
  if (stream === undefined && saved !== undefined) return `saved from stream ${saved.stream} in cluster mode, configured without NATS_URL`;
  return undefined;
}

/**
 * The trigger interval to run with after a restore: one changed at run time survives the restart,
 * unless TRIGGER_INTERVAL itself was changed since, which says the operator wants that one.
 */
export function restoredTriggerMs(saved: SavedSettings, configuredMs: number): number {
  return triggerInForce(saved, configuredMs).ms;
}

/** The trigger interval to run with (see `restoredTriggerMs`) and, for the log, why that one. */
export function triggerInForce(saved: SavedSettings | undefined, configuredMs: number): { readonly ms: number; readonly why: string } {
  const configured = `TRIGGER_INTERVAL ${formatDuration(configuredMs)}`;
  if (saved === undefined || saved.triggerMs === configuredMs) return { ms: configuredMs, why: configured };
  const runTime = formatDuration(saved.triggerMs);
  if (saved.configuredTriggerMs !== configuredMs) {
    return { ms: configuredMs, why: `${configured}, changed since the checkpoint: the ${runTime} set at run time is dropped` };
  }
  if (triggerBoundsProblem(saved.triggerMs) !== undefined) {
    return { ms: configuredMs, why: `${configured}; the checkpoint's ${runTime} is out of bounds` };
  }
  return { ms: saved.triggerMs, why: `restored from checkpoint: changed at run time; ${configured}` };
}
