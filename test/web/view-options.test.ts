import { describe, expect, it } from "vitest";
import { readViewOptions, resolveView } from "../../web/src/lib/view-options.ts";

const read = (pathname: string, search = "") => readViewOptions({ pathname, search });
const facts = { windows: ["15m", "complete"], topN: 20 };

describe("view options from the URL", () => {
  it("defaults to the browser view, dark, nothing hidden, no notices", () => {
    expect(read("/")).toEqual({
      wall: false,
      window: undefined,
      by: "posts",
      n: undefined,
      theme: "dark",
      title: undefined,
      hide: new Set(),
      notices: [],
    });
  });

  it("ranks by posts, accounts or trend, and falls back to posts with a notice", () => {
    expect(read("/wall", "?by=trend").by).toBe("trend");
    expect(read("/", "?by=Accounts").by).toBe("accounts");
    expect(read("/wall", "?by=likes")).toMatchObject({ by: "posts", notices: ["by “likes” is not posts, accounts or trend: ranking by posts."] });
    expect(resolveView(read("/wall", "?by=trend"), { ...facts, trends: true })).toMatchObject({ by: "trend", notices: [] });
    expect(resolveView(read("/wall", "?by=trend"), { ...facts, trends: false })).toMatchObject({
      by: "posts",
      notices: ["this server does not score trends: ranking by posts."],
    });
  });

  it("is a wall at /wall, /wall/ and with ?wall=1", () => {
    expect(read("/wall").wall).toBe(true);
    expect(read("/wall/").wall).toBe(true);
    expect(read("/", "?wall=1").wall).toBe(true);
    expect(read("/", "?wall=0").wall).toBe(false);
    expect(read("/walls").wall).toBe(false);
  });

  it("reads every parameter, normalising hidden tags as Mastodon names them", () => {
    const options = read("/wall", "?window=complete&n=10&theme=LIGHT&title=Hall%20B&hide=%23Caf%C3%A9,%20Politics,,nsfw");
    expect(options).toEqual({
      wall: true,
      window: "complete",
      by: "posts",
      n: 10,
      theme: "light",
      title: "Hall B",
      hide: new Set(["cafe", "politics", "nsfw"]),
      notices: [],
    });
  });

  it("falls back on values it cannot use, with a notice for each", () => {
    const options = read("/", `?wall=yes&n=-3&theme=purple&title=${"x".repeat(90)}&hide=rust,!!!`);
    expect(options).toMatchObject({ wall: false, n: undefined, theme: "dark", hide: new Set(["rust"]) });
    expect(options.title).toBe(`${"x".repeat(79)}…`);
    expect(options.notices).toEqual([
      "wall “yes” is not 1 or 0: ignored.",
      "n “-3” is not a whole number of at least 1: showing the default.",
      "theme “purple” is not dark, light or auto: using dark.",
      "title is longer than 80 characters: shortened.",
      "hide: “!!!” is not a hashtag: ignored.",
    ]);
  });
});

describe("view options against the server", () => {
  it("shows the first window and the server's top N by default; at most 20 rows on a wall", () => {
    expect(resolveView(read("/"), facts)).toEqual({ window: "15m", n: 20, by: "posts", notices: [] });
    expect(resolveView(read("/"), { ...facts, topN: 50 })).toEqual({ window: "15m", n: 50, by: "posts", notices: [] });
    expect(resolveView(read("/wall"), { ...facts, topN: 50 })).toEqual({ window: "15m", n: 20, by: "posts", notices: [] });
    expect(resolveView(read("/wall", "?n=30"), { ...facts, topN: 50 })).toEqual({ window: "15m", n: 30, by: "posts", notices: [] });
  });

  it("falls back from a window the server does not keep and from n above its top N", () => {
    expect(resolveView(read("/wall", "?window=1h&n=25"), facts)).toEqual({
      window: "15m",
      n: 20,
      by: "posts",
      notices: [
        "window “1h” is not kept by this server (15m, complete): showing last 15 minutes.",
        "n 25 is more than this server's top 20: showing 20.",
      ],
    });
  });
});
