/**
 * What the wall's browser tests share: the built dashboard, one Chromium per test whose pages
 * report their script errors, and how long to wait for a page to show something.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { launchChromium, type LaunchedChromium, type LaunchOptions } from "./chromium.ts";

export const DIST_WEB = fileURLToPath(new URL("../../dist/web", import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/** How long a page may take to show something; generous, as browser tests share the machine. */
export const PAGE_WAIT = { timeout: 10_000 };

export function requireBuiltDashboard(): void {
  if (!existsSync(`${DIST_WEB}/index.html`)) throw new Error(`${DIST_WEB}/index.html is missing: run npm run build`);
}

export class BrowserSession {
  #browser: LaunchedChromium | undefined;
  #firstPageUsed = false;
  readonly #errors: string[] = [];

  /**
   * A page at `url`: the first call launches Chromium with `options`, later calls open more tabs in
   * the same browser (with its viewport unless `viewport` says otherwise).
   */
  async open(url: string, options: LaunchOptions = {}): Promise<Page> {
    this.#browser ??= await launchChromium(options);
    const page = this.#firstPageUsed ? await this.#browser.context.newPage() : this.#browser.page;
    this.#firstPageUsed = true;
    page.on("pageerror", (error) => this.#errors.push(error.message));
    if (options.viewport !== undefined) await page.setViewportSize(options.viewport);
    await page.goto(url);
    return page;
  }

  /** Closes the browser; returns the script errors its pages reported. */
  async close(): Promise<string[]> {
    await this.#browser?.close();
    this.#browser = undefined;
    this.#firstPageUsed = false;
    return this.#errors.splice(0);
  }
}
