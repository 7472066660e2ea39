/**
 * Which Mastodon stream to follow: `public`, `public:local`, `public:remote` or `hashtag:<tag>`,
 * the names of Mastodon's streaming API (streaming/index.js, channel names).
 */
export type MastodonStream =
  | { readonly kind: "public" }
  | { readonly kind: "public:local" }
  | { readonly kind: "public:remote" }
  | { readonly kind: "hashtag"; readonly tag: string };

/** The stream, or a message saying why the text is not one. */
export function parseMastodonStream(text: string): MastodonStream | string {
  const value = text.trim();
  if (value === "public" || value === "public:local" || value === "public:remote") return { kind: value };
  if (value.startsWith("hashtag:")) {
    const tag = value.slice("hashtag:".length).replace(/^#/, "");
    return tag === "" ? `"${text}" names no tag (use hashtag:<tag>)` : { kind: "hashtag", tag };
  }
  return `"${text}" is not one of public, public:local, public:remote, hashtag:<tag>`;
}

export function describeMastodonStream(stream: MastodonStream): string {
  return stream.kind === "hashtag" ? `hashtag:${stream.tag}` : stream.kind;
}
