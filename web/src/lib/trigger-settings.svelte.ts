/**
 * The settings panel's side of `GET/PUT /api/config`: whether run-time changes are enabled, and
 * the outcome of the last change, in words the panel can show. The token lives only in the
 * panel's input and the one request that carries it.
 */
import { describeDuration, parseDuration } from "../../../shared/duration.ts";
import { configResponseSchema, errorResponseSchema, triggerBoundsProblem } from "../../../shared/messages.ts";

export type SettingsStatus =
  | { readonly kind: "idle" }
  | { readonly kind: "sending" }
  | { readonly kind: "done" | "error"; readonly message: string };

const IDLE: SettingsStatus = { kind: "idle" };

export class TriggerSettings {
  /** From `GET /api/config`; undefined until it answered. */
  adminEnabled: boolean | undefined = $state();
  status: SettingsStatus = $state.raw(IDLE);

  /** Asks the server whether changes are enabled; the returned function cancels: one `$effect`. */
  load(): () => void {
    const abort = new AbortController();
    fetch("/api/config", { signal: abort.signal })
      .then((response) => response.json())
      .then((body: unknown) => {
        const parsed = configResponseSchema.safeParse(body);
        if (parsed.success) this.adminEnabled = parsed.data.adminEnabled;
      })
      .catch(() => {
        // Offline or aborted: the panel still works, and a change reports its own error.
      });
    return () => abort.abort();
  }

  async apply(intervalText: string, token: string): Promise<void> {
    const ms = parseDuration(intervalText);
    if (ms === undefined) return this.#fail(`“${intervalText}” is not a duration: try 500ms, 2s or 1 minute.`);
    const bounds = triggerBoundsProblem(ms);
    if (bounds !== undefined) return this.#fail(`The interval ${bounds}.`);
    if (token.trim() === "") return this.#fail("Enter the admin token (ADMIN_TOKEN on the server).");

    this.status = { kind: "sending" };
    let response: Response;
    try {
      response = await fetch("/api/config", {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: `Bearer ${token.trim()}` },
        body: JSON.stringify({ triggerInterval: intervalText }),
      });
    } catch {
      return this.#fail("Could not reach the server.");
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = configResponseSchema.safeParse(body);
      const shown = parsed.success ? parsed.data.triggerMs : ms;
      this.status = { kind: "done", message: `Snapshots now every ${describeDuration(shown)}.` };
      return;
    }
    const error = errorResponseSchema.safeParse(body);
    const detail = error.success ? error.data.error : `the server answered ${response.status}`;
    if (response.status === 401) return this.#fail("The admin token was not accepted.");
    if (response.status === 403) {
      this.adminEnabled = false;
      return this.#fail("Changes are disabled on this server: it has no ADMIN_TOKEN.");
    }
    if (response.status === 429) return this.#fail("Too many attempts: wait a minute, then try again.");
    return this.#fail(`Not changed: ${detail}.`);
  }

  #fail(message: string): void {
    this.status = { kind: "error", message };
  }
}
