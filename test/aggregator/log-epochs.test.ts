import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogEpochs, type EpochStep, type LogEpochState } from "../../server/aggregator/log-epochs.ts";

const T = 1000;
const ticks = (...at: number[]): EpochStep[] => at.map((a) => ({ kind: "tick", at: a }));
const fresh = (...longest: [number | undefined] | []): LogEpochs =>
  new LogEpochs({ triggerMs: T, longestWindowMs: longest.length === 0 ? 5 * T : longest[0] });

describe("epochs from the log", () => {
  it("starts the first epoch at the first message's time rounded down to the interval", () => {
    const epochs = fresh();
    expect(epochs.open).toBeUndefined();
    expect(epochs.arrive(12_345)).toEqual({ steps: [], now: 12_345 });
    expect(epochs.open).toEqual({ start: 12_000, end: 13_000 });
  });

  it("closes the epoch at the first message at or past its end, before that message", () => {
    const epochs = fresh();
    epochs.arrive(12_000);
    expect(epochs.arrive(12_999).steps).toEqual([]);
    expect(epochs.arrive(13_000)).toEqual({ steps: ticks(13_000), now: 13_000 });
    expect(epochs.open).toEqual({ start: 13_000, end: 14_000 });
    expect(epochs.arrive(14_500)).toEqual({ steps: ticks(14_000), now: 14_500 });
    expect(epochs.open).toEqual({ start: 14_000, end: 15_000 });
  });

  it("ticks empty epochs one by one at their ends", () => {
    const epochs = fresh();
    epochs.arrive(10_100);
    // 11 000 closes the message's epoch; 12 000 and 13 000 end empty ones; 13 500 opens [13 000, 14 000).
    expect(epochs.arrive(13_500).steps).toEqual(ticks(11_000, 12_000, 13_000));
    expect(epochs.open).toEqual({ start: 13_000, end: 14_000 });
  });

  it("ticks at most K empty epochs, then once at the last boundary before the message", () => {
    const epochs = fresh(3 * T);
    expect(epochs.maxEmptyTicks).toBe(3);
    epochs.arrive(0);
    expect(epochs.arrive(100_250).steps).toEqual(ticks(1000, 2000, 3000, 4000, 100_000));
    expect(epochs.open).toEqual({ start: 100_000, end: 101_000 });
  });

  it("takes K = 1 without sliding windows and never below 1", () => {
    expect(fresh(undefined).maxEmptyTicks).toBe(1);
    expect(fresh(T / 2).maxEmptyTicks).toBe(1);
    const epochs = fresh(undefined);
    epochs.arrive(0);
    expect(epochs.arrive(5500).steps).toEqual(ticks(1000, 2000, 5000));
  });

  it("counts a message stamped before the open epoch at the epoch's start", () => {
    const epochs = fresh();
    epochs.arrive(5000);
    epochs.arrive(6200);
    expect(epochs.arrive(5900)).toEqual({ steps: [], now: 6000 });
    expect(epochs.open).toEqual({ start: 6000, end: 7000 });
  });

  it("changes the trigger at the next boundary: the open epoch keeps its length", () => {
    const epochs = fresh(10 * T);
    epochs.arrive(0);
    epochs.changeTrigger(400);
    expect(epochs.open).toEqual({ start: 0, end: 1000 });
    expect(epochs.arrive(999).steps).toEqual([]);
    expect(epochs.arrive(1900).steps).toEqual([{ kind: "trigger", ms: 400 }, ...ticks(1000, 1400, 1800)]);
    expect(epochs.open).toEqual({ start: 1800, end: 2200 });
    expect(epochs.maxEmptyTicks).toBe(25);
    expect(epochs.state()).toEqual({ start: 1800, triggerMs: 400, nextTriggerMs: undefined });
  });

  it("keeps the last trigger change before a boundary; one back to the interval in force cancels", () => {
    const epochs = fresh();
    epochs.arrive(0);
    epochs.changeTrigger(2000);
    epochs.changeTrigger(500);
    expect(epochs.state().nextTriggerMs).toBe(500);
    epochs.changeTrigger(T);
    expect(epochs.state().nextTriggerMs).toBeUndefined();
    expect(epochs.arrive(1000).steps).toEqual(ticks(1000));
  });

  it("says a marker is due once the wall clock is past the open epoch's end plus the grace", () => {
    const epochs = fresh();
    expect(epochs.markerDue(1e12, 0)).toBeUndefined();
    epochs.arrive(3000);
    expect(epochs.markerDue(4499, 500)).toBeUndefined();
    expect(epochs.markerDue(4500, 500)).toBe(4000);
    expect(epochs.markerDue(9000, 500)).toBe(4000);
    // The marker, stamped by the stream at or after 4000, closes the epoch when it comes back.
    expect(epochs.arrive(4510).steps).toEqual(ticks(4000));
    expect(epochs.markerDue(4600, 500)).toBeUndefined();
    expect(epochs.markerDue(5500, 500)).toBe(5000);
  });

  it("goes on from a saved state exactly as without the save", () => {
    const epochs = fresh();
    epochs.arrive(0);
    epochs.changeTrigger(500);
    const saved: LogEpochState = epochs.state();
    const restored = new LogEpochs({ triggerMs: 7000, longestWindowMs: 5 * T }, saved);
    expect(restored.arrive(2100)).toEqual(epochs.arrive(2100));
    expect(restored.state()).toEqual(epochs.state());
  });
});

/** A log message: a post (or plain line), an epoch-end marker, or a trigger change. */
type LogMessage = { readonly ts: number; readonly kind: "post" } | { readonly ts: number; readonly kind: "marker" } | { readonly ts: number; readonly kind: "trigger"; readonly ms: number };

/** Runs `log` through `epochs` and returns every step with the message position it came before. */
function run(epochs: LogEpochs, log: readonly LogMessage[], from = 0): string[] {
  const out: string[] = [];
  for (let i = from; i < log.length; i++) {
    const message = log[i] as LogMessage;
    const { steps, now } = epochs.arrive(message.ts);
    for (const step of steps) out.push(`${i}:${step.kind}:${step.kind === "tick" ? step.at : step.ms}`);
    out.push(`${i}:apply@${now}`);
    if (message.kind === "trigger") epochs.changeTrigger(message.ms);
  }
  return out;
}

describe("epochs from the log: any delivery, any marker checks, same ticks", () => {
  const publication = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("post" as const), gap: fc.integer({ min: 0, max: 2500 }), skew: fc.integer({ min: -300, max: 0 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("trigger" as const), gap: fc.integer({ min: 0, max: 500 }), ms: fc.constantFrom(200, 500, 1000, 3000) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("check" as const), gap: fc.integer({ min: 0, max: 4000 }) }) },
  );

  it("a replica that receives the log in any batches, checking markers between any two, ticks as a replay of the final log", () => {
    fc.assert(
      fc.property(
        fc.array(publication, { maxLength: 80 }),
        fc.integer({ min: 0, max: 800 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 80 }),
        (publications, grace, batches, restartAt) => {
          // The live replica: the log grows as publications happen; markers its checks publish are
          // appended; it reads what is in the log in batches of the given sizes.
          const log: LogMessage[] = [];
          const live = fresh();
          const liveSteps: string[] = [];
          const marked = new Set<number>();
          let wall = 1_000_000;
          let read = 0;
          let batch = 0;
          const readSome = (): void => {
            const size = batches[batch++ % batches.length] as number;
            const upTo = Math.min(log.length, read + size);
            liveSteps.push(...run(live, log.slice(0, upTo), read));
            read = upTo;
          };
          for (const p of publications) {
            wall += p.gap;
            if (p.kind === "check") {
              const at = live.markerDue(wall, grace);
              // JetStream keeps one marker per `at` (its message id); its timestamp is the wall clock's.
              if (at !== undefined && !marked.has(at)) {
                marked.add(at);
                log.push({ kind: "marker", ts: Math.max(wall, at) });
              }
            } else if (p.kind === "trigger") log.push({ kind: "trigger", ts: wall, ms: p.ms });
            else log.push({ kind: "post", ts: wall + p.skew });
            readSome();
          }
          while (read < log.length) readSome();

          // A replay of the final log in one pass agrees step for step.
          expect(run(fresh(), log)).toEqual(liveSteps);

          // So does a replica restored from a state saved after any message, going on from the next.
          const cut = Math.min(restartAt, log.length);
          const first = fresh();
          const before = run(first, log.slice(0, cut));
          const restored = new LogEpochs({ triggerMs: 60_000, longestWindowMs: 5 * T }, first.state());
          expect([...before, ...run(restored, log, cut)]).toEqual(liveSteps);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("every tick's time is a boundary after the previous one, and the open epoch holds the applied message", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -500, max: 5000 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        const epochs = fresh(4 * T);
        let ts = 50_000;
        let last = -Infinity;
        for (const gap of gaps) {
          ts += gap;
          const { steps, now } = epochs.arrive(ts);
          for (const step of steps) {
            if (step.kind !== "tick") continue;
            expect(step.at).toBeGreaterThan(last);
            last = step.at;
          }
          const open = epochs.open;
          expect(open).toBeDefined();
          expect(now).toBeGreaterThanOrEqual(open?.start ?? NaN);
          expect(now).toBeLessThan(open?.end ?? NaN);
          expect(steps.filter((s) => s.kind === "tick").length).toBeLessThanOrEqual(1 + epochs.maxEmptyTicks + 1);
        }
      }),
    );
  });
});
