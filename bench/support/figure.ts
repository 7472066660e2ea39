/** One measured figure of the suite, next to its baselines from the same run, and its target. */

export interface Baseline {
  readonly name: string;
  /** Undefined when the baseline could not run (e.g. no Redis server). */
  readonly value: number | undefined;
  readonly note?: string;
}

export interface Figure {
  readonly scenario: string;
  readonly metric: string;
  readonly unit: string;
  readonly value: number;
  readonly higherIsBetter: boolean;
  readonly baselines: readonly Baseline[];
  /** Undefined for figures reported for information only. */
  readonly target?: number;
  readonly notes?: readonly string[];
}

/**
 * How big a run is: `full` for the figures in the README, `quick` (`--quick`) for a look in about
 * a minute, `smoke` (`--smoke`) only to show every part of the harness works, in seconds, without
 * the Redis peer (tests use no shared service).
 */
export type BenchSize = "smoke" | "quick" | "full";

/** The value for `size`. */
export function bySize<T>(size: BenchSize, values: { readonly smoke: T; readonly quick: T; readonly full: T }): T {
  return values[size];
}

export interface ScenarioContext {
  readonly size: BenchSize;
  /** Progress for the person watching; not part of the report. */
  progress(message: string): void;
  /** Another checkout to run as the baseline, where a scenario compares versions of tagstream. */
  readonly baselineCheckout?: string;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  run(context: ScenarioContext): Promise<Figure[]>;
}

export function met(figure: Figure): boolean | undefined {
  if (figure.target === undefined) return undefined;
  return figure.higherIsBetter ? figure.value >= figure.target : figure.value <= figure.target;
}

/** How many times better than the baseline (>1 is better), whichever direction "better" is. */
export function ratio(figure: Figure, baseline: Baseline): number | undefined {
  if (baseline.value === undefined || baseline.value === 0 || figure.value === 0) return undefined;
  return figure.higherIsBetter ? figure.value / baseline.value : baseline.value / figure.value;
}

/** Percentile `p` (0-100) of values, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
