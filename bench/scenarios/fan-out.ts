/**
 * Target 4: 10,000 WebSocket clients (in two other processes) at one snapshot a second, through the
 * real app: the CPU the server process spends, as a share of one core. The baseline is the naive
 * server, which sends the snapshot string to each client.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { startChild, type Child } from "../support/child.ts";
import { bySize, type Figure, type Scenario } from "../support/figure.ts";
import { WINDOWS } from "./ingest-throughput.ts";

interface Load {
  readonly clients: number;
  /** How long the clients get snapshots before measuring. */
  readonly settleMs: number;
  readonly seconds: number;
}

async function cpuShare(script: string, subjectOptions: object, { clients, settleMs, seconds }: Load, progress: (m: string) => void): Promise<{ share: number; frames: number }> {
  const subject = startChild(script, subjectOptions);
  const crowds: Child[] = [];
  try {
    const { httpPort } = await subject.next("ready");
    const url = script === "naive-subject.ts" ? `ws://127.0.0.1:${httpPort}` : `ws://127.0.0.1:${httpPort}/ws`;
    for (let i = 0; i < 2; i++) crowds.push(startChild("ws-clients.ts", { url, clients: clients / 2 }, ["--max-old-space-size=4096"]));
    await Promise.all(crowds.map((c) => c.next("connected")));
    progress(`${clients} clients connected`);
    await sleep(settleMs);
    const before = await Promise.all(crowds.map((c) => c.ask<{ type: string; frames: number }>({ type: "frames" }, "frames")));
    await subject.ask({ type: "cpu-start" }, "cpu-started");
    await sleep(seconds * 1000);
    const cpu = await subject.ask<{ type: string; userMs: number; systemMs: number; wallMs: number }>({ type: "cpu-stop" }, "cpu");
    const after = await Promise.all(crowds.map((c) => c.ask<{ type: string; frames: number }>({ type: "frames" }, "frames")));
    const frames = after.reduce((s, a) => s + a.frames, 0) - before.reduce((s, b) => s + b.frames, 0);
    return { share: ((cpu.userMs + cpu.systemMs) / cpu.wallMs) * 100, frames };
  } finally {
    await Promise.all(crowds.map((c) => c.stop()));
    await subject.stop();
  }
}

export const fanOut: Scenario = {
  name: "fanout",
  title: "Fan-out: WebSocket clients at one snapshot a second",
  async run({ size, progress }): Promise<Figure[]> {
    const load = bySize(size, {
      smoke: { clients: 50, settleMs: 200, seconds: 1 },
      quick: { clients: 1000, settleMs: 1500, seconds: 3 },
      full: { clients: 10_000, settleMs: 1500, seconds: 10 },
    });
    const { clients, seconds } = load;
    progress("tagstream app");
    const engine = await cpuShare("aggregator-subject.ts", { env: { WINDOWS, TRIGGER_INTERVAL: "1s" } }, load, progress);
    progress("naive server");
    const naive = await cpuShare("naive-subject.ts", { triggerMs: 1000 }, load, progress);
    return [
      {
        scenario: "fanout",
        metric: `server CPU, ${clients.toLocaleString("en-US")} clients, 1 snapshot/s`,
        unit: "% core",
        value: engine.share,
        higherIsBetter: false,
        baselines: [{ name: "naive", value: naive.share }],
        target: 10,
        notes: [`${engine.frames.toLocaleString("en-US")} frames delivered in ${seconds} s (naive ${naive.frames.toLocaleString("en-US")})`],
      },
    ];
  },
};
