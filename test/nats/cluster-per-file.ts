/**
 * One 3-node cluster for the tests of a file: started before them, stopped after them (also when
 * one fails). It stands for the cluster itself, so tests read `cluster.url` or call `cluster.kill(i)`.
 */
import { afterAll, beforeAll } from "vitest";
import { startNatsCluster, type NatsCluster } from "../support/nats-cluster.ts";

export function clusterPerFile(): NatsCluster {
  let started: NatsCluster | undefined;
  beforeAll(async () => {
    started = await startNatsCluster();
  }, 30_000);
  afterAll(async () => {
    await started?.stop();
  });
  const cluster = (): NatsCluster => {
    if (started === undefined) throw new Error("the cluster is not started: use it inside a test");
    return started;
  };
  return {
    get url() {
      return cluster().url;
    },
    get urls() {
      return cluster().urls;
    },
    kill: (index) => cluster().kill(index),
    start: (index) => cluster().start(index),
    killAll: () => cluster().killAll(),
    startAll: () => cluster().startAll(),
    output: (index) => cluster().output(index),
    stop: () => cluster().stop(),
  };
}
