/**
 * The ranking of one language (`lang=de`): the server keeps it apart from the snapshot, which stays
 * the same size for every screen, so a screen showing a language asks `/api/top?lang=` once per
 * snapshot. Answers are validated with the shared schema before they are shown.
 */
import { topResponseSchema, type TopEntry } from "../../../shared/messages.ts";

export class LanguageTop {
  entries: readonly TopEntry[] = $state.raw([]);
  error: string | undefined = $state();

  /**
   * Fetches the top of `lang` in `window` from the server at `origin`; shaped to be the body of one
   * `$effect` that re-runs for each new snapshot (`_epoch`) and each change of language, window or rows.
   */
  load(origin: string, lang: string | undefined, window: string | undefined, n: number, _epoch: number | undefined): (() => void) | undefined {
    if (lang === undefined || window === undefined) {
      this.entries = [];
      return undefined;
    }
    const abort = new AbortController();
    const query = new URLSearchParams({ window, n: String(n), lang });
    fetch(`${origin}/api/top?${query.toString()}`, { signal: abort.signal })
      .then(async (response) => {
        const body: unknown = await response.json();
        if (!response.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
        const parsed = topResponseSchema.safeParse(body);
        if (!parsed.success) throw new Error("unexpected answer from the server");
        this.entries = parsed.data.top;
        this.error = undefined;
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) this.error = error instanceof Error ? error.message : String(error);
      });
    return () => abort.abort();
  }
}

const names = new Intl.DisplayNames(["en"], { type: "language" });

/** A language code in words: "German" for `de`, "no language given" for `und`. */
export function languageName(code: string): string {
  if (code === "und") return "no language given";
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
