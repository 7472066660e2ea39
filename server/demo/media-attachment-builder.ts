/**
 * Image attachments as Mastodon renders them; remote media are served from the local cache and
 * keep their original address in `remote_url`. The public `:media` streams carry only statuses
 * with at least one attachment.
 */
import type { MastodonMediaAttachment } from "./mastodon-entities.ts";

export interface ImageDraft {
  readonly id: string;
  readonly serverDomain: string;
  /** The author's server, or null when the author is local. */
  readonly remoteHost: string | null;
  readonly width: number;
  readonly height: number;
  readonly description: string | null;
}

export function buildImageAttachment(draft: ImageDraft): MastodonMediaAttachment {
  const folder = draft.remoteHost === null ? "media_attachments" : "cache/media_attachments";
  const base = `https://${draft.serverDomain}/system/${folder}/files/${draft.id}`;
  const scale = Math.min(1, 640 / Math.max(draft.width, draft.height));
  const small = { width: Math.round(draft.width * scale), height: Math.round(draft.height * scale) };
  const remoteBase = draft.remoteHost === null ? null : `https://${draft.remoteHost}/media/${draft.id}`;
  return {
    id: draft.id,
    type: "image",
    url: `${base}/original/${draft.id.slice(-10)}.jpg`,
    preview_url: `${base}/small/${draft.id.slice(-10)}.jpg`,
    remote_url: remoteBase === null ? null : `${remoteBase}.jpg`,
    preview_remote_url: null,
    text_url: null,
    meta: {
      original: {
        width: draft.width,
        height: draft.height,
        size: `${draft.width}x${draft.height}`,
        aspect: draft.width / draft.height,
      },
      small: { ...small, size: `${small.width}x${small.height}`, aspect: small.width / small.height },
    },
    description: draft.description,
    // A one-component blurhash: a flat colour is enough for a preview placeholder.
    blurhash: "00Q]%o",
  };
}
