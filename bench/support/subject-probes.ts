/**
 * What every subject process answers, whatever it counts with: when it has counted a number of
 * tags, how much CPU it used over a span, and its peak resident memory.
 */
import { monotonicMs, onParent, tell } from "./child.ts";

/** Polling period for "counted N tags yet?": coarse enough to cost nothing, fine enough for multi-second runs. */
const POLL_MS = 2;

export function serveProbes(countedTags: () => number): void {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  sampler.unref();

  onParent("await-tags", (message) => {
    const wanted = Number(message.tags);
    const poll = (): void => {
      if (countedTags() >= wanted) tell({ type: "counted", at: monotonicMs(), tags: countedTags() });
      else setTimeout(poll, POLL_MS);
    };
    poll();
  });

  let cpuStart = process.cpuUsage();
  let wallStart = monotonicMs();
  onParent("cpu-start", () => {
    cpuStart = process.cpuUsage();
    wallStart = monotonicMs();
    tell({ type: "cpu-started" });
  });
  onParent("cpu-stop", () => {
    const used = process.cpuUsage(cpuStart);
    const wallMs = monotonicMs() - wallStart;
    tell({ type: "cpu", userMs: used.user / 1000, systemMs: used.system / 1000, wallMs });
  });

  onParent("rss", () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    tell({ type: "rss", rss: process.memoryUsage.rss(), peak: peakRss });
  });
}
