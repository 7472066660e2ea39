/** The suite's output: a plain-text table for people and a JSON file for machines. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname } from "node:path";
import { met, ratio, type BenchSize, type Figure } from "./figure.ts";

export interface Report {
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGiB: number; readonly node: string };
  /** Any size but the full one. */
  readonly quick: boolean;
  readonly size: BenchSize;
  readonly at: string;
  readonly figures: ReadonlyArray<Figure & { readonly met?: boolean }>;
}

export function buildReport(figures: readonly Figure[], size: BenchSize): Report {
  const cpu = cpus();
  return {
    machine: { cpu: cpu[0]?.model ?? "unknown", cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    quick: size !== "full",
    size,
    at: new Date().toISOString(),
    figures: figures.map((figure) => ({ ...figure, ...(met(figure) !== undefined && { met: met(figure) }) })),
  };
}

function format(value: number | undefined, unit: string): string {
  if (value === undefined) return "skipped";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`.trim();
}

/** Rows: figure, value, each baseline with the ratio against it, target, met. Markdown, so the README can take it as is. */
export function formatTable(report: Report): string {
  const header = ["scenario", "figure", "tagstream", "baselines (× better)", "target", "met?"];
  const rows = report.figures.map((f) => [
    f.scenario,
    f.metric,
    format(f.value, f.unit),
    f.baselines
      .map((b) => {
        const r = ratio(f, b);
        return `${b.name}: ${format(b.value, f.unit)}${r === undefined ? "" : ` (×${r.toFixed(r >= 10 ? 0 : 1)})`}${b.note ? ` ${b.note}` : ""}`;
      })
      .join("; ") || "—",
    f.target === undefined ? "—" : `${f.higherIsBetter ? "≥" : "≤"} ${format(f.target, f.unit)}`,
    f.met === undefined ? "—" : f.met ? "yes" : "**no**",
  ]);
  const lines = [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`);
  const notes = report.figures.flatMap((f) => (f.notes ?? []).map((n) => `- ${f.scenario}: ${n}`));
  const machine = `${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}${report.size === "full" ? "" : ` (--${report.size} sizes)`}`;
  return [`Measured ${report.at} on ${machine}.`, "", ...lines, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
}

export function writeReport(report: Report, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
