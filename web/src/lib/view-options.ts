/**
 * What a screen's URL asks for: `/wall` or `?wall=1`, `window`, `by`, `n`, `theme`, `title` and `hide`.
 * A link is the whole configuration of a screen, so it can be shared or put on a kiosk.
 *
 * A value that cannot be used never blanks the page: it falls back to the default and leaves a
 * notice that the page shows, so whoever set up the screen sees what to fix. Values are checked
 * twice: their form when the page loads (here), and against the server's windows and top N once
 * `hello` says what those are (`resolveView`).
 */
import { describeWindow } from "../../../shared/duration.ts";
import { normaliseHashtag } from "../../../shared/hashtag.ts";
import { rankBySchema, type RankBy } from "../../../shared/messages.ts";

export const THEMES = ["dark", "light", "auto"] as const;
export type ThemePreference = (typeof THEMES)[number];

/** Longest title shown; beyond it the title is cut so the header keeps one line. */
export const MAX_TITLE_CHARS = 80;
/** Rows a wall shows unless `n` asks otherwise: what stays readable from across a room. */
export const WALL_DEFAULT_ROWS = 20;
/** Shown when neither the URL nor the server (`TITLE`) names the screen. */
export const DEFAULT_TITLE = "Trending hashtags";

export interface ViewOptions {
  readonly wall: boolean;
  /** The window the URL asks for, checked against the server's list by `resolveView`. */
  readonly window: string | undefined;
  /** What to rank by: posts (default), accounts or trend. */
  readonly by: RankBy;
  /** A language whose posts alone are ranked (BCP 47, lower case), or undefined for all. */
  readonly lang: string | undefined;
  readonly n: number | undefined;
  readonly theme: ThemePreference;
  readonly title: string | undefined;
  /** Normalised names of the tags this screen must not show. */
  readonly hide: ReadonlySet<string>;
  /** What in the URL was ignored, and why. */
  readonly notices: readonly string[];
}

export function readViewOptions(location: { readonly pathname: string; readonly search: string }): ViewOptions {
  const params = new URLSearchParams(location.search);
  const notices: string[] = [];
  const text = (name: string): string | undefined => {
    const value = params.get(name)?.trim();
    return value === undefined || value === "" ? undefined : value;
  };

  const wallParam = text("wall");
  if (wallParam !== undefined && !["0", "1"].includes(wallParam)) {
    notices.push(`wall “${wallParam}” is not 1 or 0: ignored.`);
  }
  const wall = /^\/wall\/?$/.test(location.pathname) || wallParam === "1";

  const nText = text("n");
  let n: number | undefined;
  if (nText !== undefined) {
    if (/^\d+$/.test(nText) && Number(nText) >= 1) n = Number(nText);
    else notices.push(`n “${nText}” is not a whole number of at least 1: showing the default.`);
  }

  const themeText = text("theme");
  let theme: ThemePreference = "dark";
  if (themeText !== undefined) {
    const known = THEMES.find((candidate) => candidate === themeText.toLowerCase());
    if (known !== undefined) theme = known;
    else notices.push(`theme “${themeText}” is not dark, light or auto: using dark.`);
  }

  let title = text("title");
  if (title !== undefined && Array.from(title).length > MAX_TITLE_CHARS) {
    title = `${Array.from(title).slice(0, MAX_TITLE_CHARS - 1).join("")}…`;
    notices.push(`title is longer than ${MAX_TITLE_CHARS} characters: shortened.`);
  }

  const hide = new Set<string>();
  for (const raw of (text("hide") ?? "").split(",").map((part) => part.trim()).filter((part) => part !== "")) {
    const name = normaliseHashtag(raw);
    if (name === "") notices.push(`hide: “${raw}” is not a hashtag: ignored.`);
    else hide.add(name);
  }

  const byText = text("by");
  let by: RankBy = "posts";
  if (byText !== undefined) {
    const parsed = rankBySchema.safeParse(byText.toLowerCase());
    if (parsed.success) by = parsed.data;
    else notices.push(`by “${byText}” is not posts, accounts or trend: ranking by posts.`);
  }

  const langText = text("lang");
  let lang: string | undefined;
  if (langText !== undefined) {
    if (/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(langText)) lang = langText.toLowerCase();
    else notices.push(`lang “${langText}” is not a language code such as de or pt-br: showing all languages.`);
  }
  if (lang !== undefined && by !== "posts") {
    notices.push(`a language is ranked by posts only: showing ${lang} by posts.`);
    by = "posts";
  }

  return { wall, window: text("window"), by, lang, n, theme, title, hide, notices };
}

export interface ServerFacts {
  readonly windows: readonly string[];
  readonly topN: number;
  /** True when the server scores trends (its `hello` has `trend`). */
  readonly trends?: boolean;
}

export interface ResolvedView {
  /** The window to show first; undefined until the server has listed its windows. */
  readonly window: string | undefined;
  /** How many rows to show. */
  readonly n: number;
  /** What to rank by, once checked against what the server offers. */
  readonly by: RankBy;
  /** What the URL asked for that this server cannot give, and what is shown instead. */
  readonly notices: readonly string[];
}

/** Checks the URL's `window` and `n` against what the server offers. */
export function resolveView(options: ViewOptions, facts: ServerFacts): ResolvedView {
  const notices: string[] = [];
  const fallbackWindow = facts.windows[0];
  let window = fallbackWindow;
  if (options.window !== undefined) {
    if (facts.windows.includes(options.window)) window = options.window;
    else if (fallbackWindow !== undefined) {
      notices.push(
        `window “${options.window}” is not kept by this server (${facts.windows.join(", ")}): showing ${describeWindow(fallbackWindow)}.`,
      );
    }
  }
  const byDefault = options.wall ? Math.min(facts.topN, WALL_DEFAULT_ROWS) : facts.topN;
  let n = options.n ?? byDefault;
  if (n > facts.topN) {
    notices.push(`n ${n} is more than this server's top ${facts.topN}: showing ${facts.topN}.`);
    n = facts.topN;
  }
  let by = options.by;
  if (by === "trend" && facts.trends === false) {
    notices.push("this server does not score trends: ranking by posts.");
    by = "posts";
  }
  return { window, n, by, notices };
}
