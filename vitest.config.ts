import { defineConfig } from "vitest/config";

// Separate from vite.config.ts, whose root is web/: tests span server, shared and web.
//
// Most test files spend their time waiting on sockets, timers and child processes, not on the CPU,
// so two of them run at once (vitest would run one at a time on a two-core machine). The browser
// tests and the bench smoke test load the CPU themselves, and the browser tests measure the page,
// so they run afterwards, one file at a time.
const HEAVY = ["test/browser/**/*.test.ts", "test/bench/**/*.test.ts"];

export default defineConfig({
  test: {
    root: ".",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/**/*.test.ts"], exclude: HEAVY, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "heavy", include: HEAVY, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
