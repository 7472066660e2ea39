/** Every scenario of the suite, in the order they run. */
import type { Scenario } from "../support/figure.ts";
import { ingestThroughput } from "./ingest-throughput.ts";

export const SCENARIOS: readonly Scenario[] = [ingestThroughput];
