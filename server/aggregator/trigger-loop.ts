/**
 * Fires every `intervalMs` on a drift-free schedule (k × interval after the start, not "interval
 * after the previous callback"), so ticks stay on the beat however long each one takes. When the
 * process was stalled past a beat, it fires once and realigns instead of replaying missed beats.
 */
export interface TriggerLoop {
  stop(): void;
}

export function startTriggerLoop(intervalMs: number, onTick: (now: number) => void, now: () => number = Date.now): TriggerLoop {
  let next = now() + intervalMs;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(fire, Math.max(0, next - now()));
  };
  const fire = (): void => {
    const firedAt = now();
    onTick(firedAt);
    next += intervalMs;
    if (next <= firedAt) next = firedAt + intervalMs;
    schedule();
  };
  schedule();
  return {
    stop() {
      clearTimeout(timer);
    },
  };
}
