/**
 * The aggregator's state as one piece of plain data, for checkpoints: the counting engine (every
 * window, sliding-window buckets, the open interval, the epoch), the post ledger (so that a
 * deletion after a restart still takes back what the post counted), the sparkline history, the
 * intake's refusal counts and the trigger interval in force. Capturing copies everything, so the
 * state can be written out while the aggregator goes on counting.
 *
 * Pure: no I/O and no clock; the checkpoint edge (checkpointing.ts) reads and writes it.
 */
import { COMPLETE_WINDOW, formatDuration } from "../../../shared/duration.ts";
import type { ExpiringMapLimits } from "../../../shared/expiring-map.ts";
import { HISTORY_TICKS, triggerBoundsProblem } from "../../../shared/messages.ts";
import { CountingEngine, type EngineOptions } from "../engine/counting-engine.ts";
import { LanguageTops, type LanguageChoice } from "../engine/language-tops.ts";
import type { WindowSpec } from "../../../shared/window-spec.ts";
import { ENGINE_STATE_VERSION, type EngineState } from "../engine/engine-state.ts";
import { IntakeStats, type IntakeStatsState } from "./intake-stats.ts";
import { PostLedger, type PostLedgerState } from "./post-ledger.ts";
import { TagHistory, type TagHistoryState } from "./tag-history.ts";

export const AGGREGATOR_STATE_FORMAT = "tagstream-aggregator";
export const AGGREGATOR_STATE_VERSION = 1;

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
  readonly postMemory: ExpiringMapLimits;
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

export function captureState(parts: AggregatorParts, settings: SavedSettings, savedAt: number): AggregatorState {
  return {
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

/** The names the engine gives these windows (`15m`, `complete`), as WINDOWS is written. */
export function windowNames(windows: readonly WindowSpec[]): string[] {
  return windows.map((spec) => (spec.kind === "complete" ? COMPLETE_WINDOW : formatDuration(spec.lengthMs)));
}

/**
 * Why `state` cannot be restored under the configured windows and capacity, or undefined when it
 * can. Other windows would put saved counts under the wrong names, and the capacity shapes the
 * engine's Space-Saving summary, so either refuses the checkpoint. TOP_N only decides how much of
 * each window is shown: a checkpoint saved under another TOP_N is restored, and the first tick
 * computes the new tops.
 */
export function restoreProblem(state: unknown, configured: Pick<SavedSettings, "windows" | "capacity">): string | undefined {
  if (typeof state !== "object" || state === null || (state as { format?: unknown }).format !== AGGREGATOR_STATE_FORMAT) {
    return "not an aggregator checkpoint";
  }
  const { version, settings, engine } = state as AggregatorState;
  if (version !== AGGREGATOR_STATE_VERSION) return `checkpoint format ${String(version)}; this version reads ${AGGREGATOR_STATE_VERSION}`;
  if (engine.version !== ENGINE_STATE_VERSION) return `engine state format ${String(engine.version)}; this version reads ${ENGINE_STATE_VERSION}`;
  const saved = settings.windows.join(",");
  const now = configured.windows.join(",");
  if (saved !== now) return `saved with WINDOWS=${saved}, configured WINDOWS=${now}`;
  if (settings.capacity !== configured.capacity) {
    return `saved with ENGINE_CAPACITY=${String(settings.capacity ?? "none")}, configured ENGINE_CAPACITY=${String(configured.capacity ?? "none")}`;
  }
  return undefined;
}

/**
 * The trigger interval to run with after a restore: one changed at run time survives the restart,
 * unless TRIGGER_INTERVAL itself was changed since, which says the operator wants that one.
 */
export function restoredTriggerMs(saved: SavedSettings, configuredMs: number): number {
  if (saved.configuredTriggerMs !== configuredMs || triggerBoundsProblem(saved.triggerMs) !== undefined) return configuredMs;
  return saved.triggerMs;
}
