/** The wall display is the dashboard's own page at `/wall`: served when built, explained when not. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/aggregator-harness.ts";

let harness: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("/wall", () => {
  it("serves the dashboard's index.html, as `/` does", async () => {
    dir = await mkdtemp(join(tmpdir(), "tagstream-web-"));
    await writeFile(join(dir, "index.html"), "<!doctype html><title>page</title>");
    harness = await startHarness({ staticDir: dir });
    for (const path of ["/", "/wall"]) {
      const response = await harness.app.inject({ method: "GET", url: path });
      expect(response.statusCode, path).toBe(200);
      expect(response.headers["content-type"], path).toMatch(/^text\/html/);
      expect(response.body, path).toBe("<!doctype html><title>page</title>");
    }
  });

  it("says how to build the dashboard when it was not built", async () => {
    harness = await startHarness({ staticDir: "/nonexistent" });
    const response = await harness.app.inject({ method: "GET", url: "/wall" });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain("npm run build");
  });
});
