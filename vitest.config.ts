import { defineConfig } from "vitest/config";

// Separate from vite.config.ts, whose root is web/: tests span server, shared and web.
//
// Most test files spend their time waiting on sockets, timers and child processes, not on the CPU,
// so two of them run at once (vitest would run one at a time on a two-core machine). The browser
// tests load the CPU themselves and measure the page (its heap, its frames), so they run
// afterwards, one file at a time.
const BROWSER = ["test/browser/**/*.test.ts"];

export default defineConfig({
  test: {
    root: ".",
    // Processes under test run the compiled commands (dist/server), built here before any test.
    globalSetup: ["./test/support/commands.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/**/*.test.ts"], exclude: BROWSER, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "browser", include: BROWSER, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
