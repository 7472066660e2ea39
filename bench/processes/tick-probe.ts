/**
 * Tick cost with a million distinct tags: every name is counted once, a Zipf stream on top, then
 * each measured tick follows one trigger interval of traffic (as at 1 M lines/s and a 100 ms
 * trigger). "engine" times `CountingEngine.tick` (fold the interval into 15m and complete, update
 * both tops); "naive" times a full sort of its Map for each of the two windows.
 */
import { CountingEngine } from "../../server/aggregator/engine/counting-engine.ts";
import { childOptions, monotonicMs, tell } from "../support/child.ts";
import { NaiveCounter } from "../support/naive-counter.ts";
import { loadCorpus, nameArena, type CorpusSpec } from "../support/zipf-corpus.ts";

interface Options {
  readonly subject: "engine" | "naive";
  readonly corpus: CorpusSpec;
  readonly ticks: number;
  readonly linesPerTick: number;
  /** Lines counted before the first measured tick. */
  readonly warmLines: number;
  /**
   * Ticks run with their traffic before the measured ones and not timed: the first ticks of a
   * process pay one-off costs (V8 compiles and deoptimises the tick's loops on the first data they
   * see) that a server running for days pays once, not in its steady state.
   */
  readonly warmTicks: number;
  readonly triggerMs: number;
}

const options = childOptions<Options>();
const needed = options.warmLines + (options.warmTicks + options.ticks) * options.linesPerTick;
const corpus = loadCorpus(options.corpus);
if (corpus.lines < needed) throw new Error(`the corpus has ${corpus.lines} lines, the probe needs ${needed}`);
const names = nameArena(options.corpus.distinct);
const T0 = Date.UTC(2026, 0, 1);

/** Calls `take(start, end)` for each of the next `count` lines of the corpus, from byte `at`. */
function lines(at: number, count: number, take: (start: number, end: number) => void): number {
  let start = at;
  for (let i = 0; i < count && start < corpus.bytes.length; i++) {
    const end = corpus.bytes.indexOf(0x0a, start);
    take(start, end);
    start = end + 1;
  }
  return start;
}

const durations: number[] = [];
/** CPU time of each tick (the process's, GC threads included): what the tick cost, apart from waiting for a core. */
const cpu: number[] = [];
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
if (options.subject === "engine") {
  const engine = new CountingEngine({ windows: [{ kind: "sliding", lengthMs: 15 * 60_000 }, { kind: "complete" }], topN: 20, now: T0 });
  for (let rank = 0; rank < options.corpus.distinct; rank++) {
    engine.ingestPlainLine(names.bytes, names.offsets[rank] as number, names.offsets[rank + 1] as number);
  }
  let at = lines(0, options.warmLines, (s, e) => engine.ingestPlainLine(corpus.bytes, s, e));
  let now = T0 + options.triggerMs;
  engine.tick(now);
  for (let tick = 0; tick < options.warmTicks; tick++) {
    at = lines(at, options.linesPerTick, (s, e) => engine.ingestPlainLine(corpus.bytes, s, e));
    now += options.triggerMs;
    engine.tick(now);
  }
  for (let tick = 0; tick < options.ticks; tick++) {
    at = lines(at, options.linesPerTick, (s, e) => engine.ingestPlainLine(corpus.bytes, s, e));
    now += options.triggerMs;
    const started = monotonicMs();
    const cpuStarted = process.cpuUsage();
    engine.tick(now);
    durations.push(monotonicMs() - started);
    cpu.push(cpuMs(cpuStarted));
  }
  tell({ type: "done", durations, cpu, distinct: engine.ingested.distinct });
} else {
  const counter = new NaiveCounter();
  for (let rank = 0; rank < options.corpus.distinct; rank++) {
    counter.ingestLine(names.bytes.toString("latin1", names.offsets[rank], names.offsets[rank + 1]));
  }
  let at = lines(0, options.warmLines, (s, e) => counter.ingestLine(corpus.bytes.toString("latin1", s, e)));
  for (let tick = 0; tick < options.warmTicks; tick++) {
    at = lines(at, options.linesPerTick, (s, e) => counter.ingestLine(corpus.bytes.toString("latin1", s, e)));
    counter.top(20);
    counter.top(20);
  }
  for (let tick = 0; tick < options.ticks; tick++) {
    at = lines(at, options.linesPerTick, (s, e) => counter.ingestLine(corpus.bytes.toString("latin1", s, e)));
    const started = monotonicMs();
    const cpuStarted = process.cpuUsage();
    counter.top(20);
    counter.top(20);
    durations.push(monotonicMs() - started);
    cpu.push(cpuMs(cpuStarted));
  }
  tell({ type: "done", durations, cpu, distinct: counter.counts.size });
}
process.exit(0);
