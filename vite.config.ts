import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

/** Where `npm run serve` listens; the dev server forwards the live endpoints to it. */
const AGGREGATOR = "http://127.0.0.1:3000";

export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    // The output directory sits outside `root`, so vite only empties it when told to.
    emptyOutDir: true,
  },
  server: {
    // The browser imports `shared/` from the project root, one level above `root`.
    fs: { allow: [fileURLToPath(new URL(".", import.meta.url))] },
    proxy: {
      "/ws": { target: AGGREGATOR, ws: true },
      "/api": { target: AGGREGATOR },
      "/healthz": { target: AGGREGATOR },
    },
  },
});
