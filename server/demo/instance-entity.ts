/**
 * The instance documents of the simulated server: `GET /api/v2/instance` (where clients such as
 * masto find `configuration.urls.streaming`) and the older `GET /api/v1/instance` (whose
 * `urls.streaming_api` older clients read). Field set of Mastodon 4.3
 * (https://docs.joinmastodon.org/entities/Instance/, entities/V1_Instance/).
 */
import { createHash } from "node:crypto";

import { buildAccount } from "./account-builder.ts";

export interface InstanceFacts {
  readonly domain: string;
  readonly title: string;
  readonly version: string;
  /** `ws://host:port` of the streaming server, without a path, as real servers announce it. */
  readonly streamingUrl: string;
}

const DESCRIPTION = "A simulated Mastodon server that streams generated public posts for demos and tests.";

const LIMITS = {
  statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 },
  media_attachments: {
    supported_mime_types: ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "audio/mpeg"],
    description_limit: 1500,
    image_size_limit: 16777216,
    image_matrix_limit: 33177600,
    video_size_limit: 103809024,
    video_frame_rate_limit: 120,
    video_matrix_limit: 8294400,
  },
  polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
};

/** Shaped like an uncompressed P-256 point (0x04 + 64 bytes); nothing here sends web push. */
function vapidKey(domain: string): string {
  const point = Buffer.concat([Buffer.from([4]), createHash("sha512").update(domain).digest()]);
  return point.toString("base64url");
}

function contactAccount(domain: string): Record<string, unknown> {
  return buildAccount({
    id: "1",
    username: "admin",
    host: null,
    serverDomain: domain,
    displayName: "Admin",
    createdAt: "2022-11-06T10:00:00.000Z",
    note: "Runs this server.",
  }) as unknown as Record<string, unknown>;
}

export function instanceV2(facts: InstanceFacts): Record<string, unknown> {
  const thumbnail = `https://${facts.domain}/packs/media/images/preview.png`;
  return {
    domain: facts.domain,
    title: facts.title,
    version: facts.version,
    source_url: "https://github.com/mastodon/mastodon",
    description: DESCRIPTION,
    usage: { users: { active_month: 4213 } },
    thumbnail: { url: thumbnail, blurhash: null, versions: { "@1x": thumbnail, "@2x": thumbnail } },
    icon: [{ src: `https://${facts.domain}/packs/media/icons/android-chrome-36x36.png`, size: "36x36" }],
    languages: ["en"],
    configuration: {
      urls: { streaming: facts.streamingUrl, status: null, about: `https://${facts.domain}/about` },
      vapid: { public_key: vapidKey(facts.domain) },
      accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
      ...LIMITS,
      translation: { enabled: false },
    },
    registrations: { enabled: false, approval_required: false, message: null, url: null },
    api_versions: { mastodon: 2 },
    contact: { email: `admin@${facts.domain}`, account: contactAccount(facts.domain) },
    rules: [{ id: "1", text: "Be kind.", hint: "" }],
  };
}

export function instanceV1(facts: InstanceFacts): Record<string, unknown> {
  return {
    uri: facts.domain,
    title: facts.title,
    short_description: DESCRIPTION,
    description: DESCRIPTION,
    email: `admin@${facts.domain}`,
    version: facts.version,
    urls: { streaming_api: facts.streamingUrl },
    stats: { user_count: 12876, status_count: 3190442, domain_count: 28733 },
    thumbnail: `https://${facts.domain}/packs/media/images/preview.png`,
    languages: ["en"],
    registrations: false,
    approval_required: false,
    invites_enabled: true,
    configuration: { accounts: { max_featured_tags: 10 }, ...LIMITS },
    contact_account: contactAccount(facts.domain),
    rules: [{ id: "1", text: "Be kind.", hint: "" }],
  };
}
