/**
 * Headless Chromium for the browser tests: the system's /usr/bin/chromium driven by playwright-core
 * (which ships no browser of its own), in a throwaway profile that is deleted on close.
 *
 * Where Chromium is missing a test may skip, loudly; in CI (`CI=true`) it must fail instead, so a
 * broken image can never turn the browser test into a silent pass.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Flags for a quiet, offline, reproducible run. `--headless` and `--no-sandbox` come from the
 * `headless` and `chromiumSandbox` launch options; `--user-data-dir` is refused in `args` by
 * playwright, which takes the profile directory as `launchPersistentContext`'s first argument.
 */
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export type ChromiumAvailability =
  | { available: true; executablePath: string }
  | { available: false; executablePath: string; reason: string };

export function chromiumAvailability(executablePath: string = CHROMIUM_PATH): ChromiumAvailability {
  return existsSync(executablePath)
    ? { available: true, executablePath }
    : { available: false, executablePath, reason: `${executablePath} does not exist (apt-get install chromium)` };
}

/**
 * Whether a browser test should skip: false when Chromium is there; true with a loud warning when
 * it is not; throws when it is not and `CI` is "true", because CI must run the browser test.
 */
export function skipWithoutChromium(env: NodeJS.ProcessEnv = process.env): boolean {
  const availability = chromiumAvailability();
  if (availability.available) return false;
  if (env.CI === "true") {
    throw new Error(`Browser tests cannot run in CI: ${availability.reason}`);
  }
  console.warn(
    [
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      `!!! SKIPPING BROWSER TESTS: ${availability.reason}`,
      "!!! The dashboard was NOT tested in a real browser. CI=true makes this fatal.",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "",
    ].join("\n"),
  );
  return true;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** Emulates `prefers-reduced-motion`; "reduce" makes chart updates instant. */
  reducedMotion?: "reduce" | "no-preference";
  /** BCP 47 locale of the page (default "en-US"), so numbers format the same on every machine. */
  locale?: string;
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** The context's first tab, ready to navigate. */
  page: Page;
  /** Closes the browser and deletes its profile directory; safe to call twice. */
  close(): Promise<void>;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const availability = chromiumAvailability();
  if (!availability.available) throw new Error(`Cannot launch Chromium: ${availability.reason}`);

  // A fresh profile per launch: no state leaks between tests or from a developer's own browser.
  const userDataDir = await mkdtemp(join(tmpdir(), "tagstream-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: availability.executablePath,
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      reducedMotion: options.reducedMotion ?? "no-preference",
      locale: options.locale ?? "en-US",
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }

  const page = context.pages()[0] ?? (await context.newPage());
  let closed: Promise<void> | undefined;
  return {
    context,
    page,
    close() {
      closed ??= (async () => {
        try {
          await context.close();
        } finally {
          await rm(userDataDir, { recursive: true, force: true });
        }
      })();
      return closed;
    },
  };
}
