/**
 * The benchmark suite's harness works end to end: every scenario runs at its --smoke size (the
 * smallest, in seconds), in its own processes, and reports a figure with its baselines. No timing
 * is asserted: figures depend on the machine, and `npm run bench` is where they are read. The Redis
 * peer is left out at this size: tests use no shared service.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Report } from "../../bench/support/report.ts";

const run = promisify(execFile);

describe("npm run bench --smoke", () => {
  it("runs every scenario and writes a report with each figure and its baselines", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "tagstream-bench-")), "report.json");
    const { stdout } = await run("npx", ["tsx", "bench/run.ts", "--smoke", "--out", out], { timeout: 170_000 });
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    expect(report.size).toBe("smoke");
    expect(report.figures.map((f) => f.scenario)).toEqual([
      ...["ingest", "ingest", "tick", "latency", "fanout", "memory", "memory", "start-up", "start-up"],
      ...Array<string>(5).fill("checkpoint"),
      "baseline",
      ...["cluster", "cluster"],
      ...Array<string>(4).fill("replicas"),
    ]);
    for (const figure of report.figures) {
      expect(Number.isFinite(figure.value), figure.metric).toBe(true);
      // Figures reported for information (a checkpoint's size, say) have no target to meet.
      expect(typeof figure.met, figure.metric).toBe(figure.target === undefined ? "undefined" : "boolean");
    }
    expect(report.figures[0]?.baselines.map((b) => b.name)).toEqual(["naive", "Redis"]);
    expect(report.figures[0]?.baselines[1]).toEqual({ name: "Redis", value: undefined, note: "(not run at --smoke sizes)" });
    // The same tags as JSON posts with an author and a time, beside the plain lines.
    expect(report.figures[1]?.metric).toContain("JSON posts with acct+ts");
    expect(report.figures[1]?.baselines.map((b) => b.name)).toEqual(["plain lines"]);
    expect(report.figures[1]?.notes?.[0]).toMatch(/^posts: [\d,]+, with an author [\d,]+; late \d+, older than a window \d+, dated ahead \d+$/);
    expect(stdout).toContain("| scenario | figure | tagstream | baselines (× better) | target | met? |");
  }, 180_000);
});
