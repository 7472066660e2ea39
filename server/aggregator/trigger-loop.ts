/**
 * Fires every `intervalMs` on a drift-free schedule (k × interval after the start, not "interval
 * after the previous callback"), so ticks stay on the beat however long each one takes. When the
 * process was stalled past a beat, it fires once and realigns instead of replaying missed beats.
 *
 * The interval can change while the loop runs: the next beat then falls one new interval after
 * the last one (at once if that moment has passed), and the beat continues from there.
 */
export interface TriggerLoop {
  readonly intervalMs: number;
  setInterval(intervalMs: number): void;
  stop(): void;
}

export function startTriggerLoop(intervalMs: number, onTick: (now: number) => void, now: () => number = Date.now): TriggerLoop {
  let interval = intervalMs;
  let next = now() + interval;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(fire, Math.max(0, next - now()));
  };
  const fire = (): void => {
    const firedAt = now();
    onTick(firedAt);
    next += interval;
    if (next <= firedAt) next = firedAt + interval;
    schedule();
  };
  schedule();
  return {
    get intervalMs() {
      return interval;
    },
    setInterval(ms) {
      const lastBeat = next - interval;
      interval = ms;
      next = Math.max(lastBeat + ms, now());
      clearTimeout(timer);
      schedule();
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
