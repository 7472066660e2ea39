/**
 * `npm run bench`: runs every scenario (or `--scenario NAME`), prints the table of figures next to
 * their baselines and targets, and writes it as JSON (`--out FILE`, default bench/results/latest.json).
 * `--quick` runs each scenario at a small size, for a look in about a minute rather than many;
 * `--smoke` at the smallest, only to show the harness works end to end (the tests run it).
 */
import { parseArgs } from "node:util";
import type { BenchSize, Figure, Scenario } from "./support/figure.ts";
import { buildReport, formatTable, writeReport } from "./support/report.ts";
import { SCENARIOS } from "./scenarios/index.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    scenario: { type: "string", multiple: true },
    out: { type: "string", default: "bench/results/latest.json" },
    "baseline-checkout": { type: "string" },
  },
});

const wanted = values.scenario ?? SCENARIOS.map((s) => s.name);
const unknown = wanted.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(", ")}; scenarios are: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

const size: BenchSize = values.smoke ? "smoke" : values.quick ? "quick" : "full";
const figures: Figure[] = [];
for (const scenario of SCENARIOS.filter((s: Scenario) => wanted.includes(s.name))) {
  const started = Date.now();
  console.log(`# ${scenario.name}: ${scenario.title}`);
  const baselineCheckout = values["baseline-checkout"];
  figures.push(...(await scenario.run({ size, progress: (m) => console.log(`  ${m}`), ...(baselineCheckout !== undefined && { baselineCheckout }) })));
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
const report = buildReport(figures, size);
console.log(`\n${formatTable(report)}\n`);
writeReport(report, values.out);
console.log(`written to ${values.out}`);
