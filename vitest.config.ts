import { defineConfig } from "vitest/config";

// Separate from vite.config.ts, whose root is web/: tests span server, shared and web.
export default defineConfig({
  test: {
    root: ".",
    include: ["test/**/*.test.ts"],
    // Processes under test run the compiled commands (dist/server), built here before any test.
    globalSetup: ["./test/support/commands.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
