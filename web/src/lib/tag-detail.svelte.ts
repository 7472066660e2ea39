/**
 * The dashboard's side of `GET /api/tags/:tag`: the picked tag's posts and accounts in every
 * window and its trend, fetched when a tag is picked and again with every new snapshot while it
 * stays picked. Answers are validated with the shared schema before they are shown.
 */
import { tagCountsResponseSchema, type TagCountsResponse } from "../../../shared/messages.ts";

export class TagDetail {
  /** The tag asked about (as typed or clicked); undefined when none is. */
  tag: string | undefined = $state();
  detail: TagCountsResponse | undefined = $state.raw();
  error: string | undefined = $state();

  pick(tag: string | undefined): void {
    this.tag = tag;
    this.detail = undefined;
    this.error = undefined;
  }

  /**
   * Fetches the picked tag's figures from the server at `origin`; shaped to be the body of one
   * `$effect` that re-runs for each pick and each snapshot epoch (`_epoch` is read only so that the
   * effect depends on it).
   */
  load(origin: string, _epoch: number | undefined): (() => void) | undefined {
    const tag = this.tag;
    if (tag === undefined) return undefined;
    const abort = new AbortController();
    fetch(`${origin}/api/tags/${encodeURIComponent(tag)}`, { signal: abort.signal })
      .then(async (response) => {
        const body: unknown = await response.json();
        if (!response.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
        const parsed = tagCountsResponseSchema.safeParse(body);
        if (!parsed.success) throw new Error("unexpected answer from the server");
        this.detail = parsed.data;
        this.error = undefined;
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) this.error = error instanceof Error ? error.message : String(error);
      });
    return () => abort.abort();
  }
}

/** The tag's page on a Mastodon server. */
export function tagUrl(host: string, tag: string): string {
  return `https://${host}/tags/${encodeURIComponent(tag)}`;
}
