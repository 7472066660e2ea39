/** Every scenario of the suite, in the order they run. */
import type { Scenario } from "../support/figure.ts";
import { ingestThroughput } from "./ingest-throughput.ts";
import { tickCost } from "./tick-cost.ts";
import { latency } from "./latency.ts";
import { fanOut } from "./fan-out.ts";
import { boundedMemory } from "./bounded-memory.ts";
import { startUp } from "./start-up.ts";
import { checkpointCost } from "./checkpoint-cost.ts";
import { baselineMemory } from "./baseline-memory.ts";
import { clusterIngest } from "./cluster-ingest.ts";
import { replicaRecovery } from "./replica-recovery.ts";

export const SCENARIOS: readonly Scenario[] = [ingestThroughput, tickCost, latency, fanOut, boundedMemory, startUp, checkpointCost, baselineMemory, clusterIngest, replicaRecovery];
