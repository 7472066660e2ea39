/**
/**
 * The REST view of the counts: `GET /api/top?window=15m&n=20&by=accounts` and `GET /api/tags/:tag`.
 * Query and path are validated against their schemas in shared/messages.ts, so a bad value gets a
 * clear 400. An answer the source must ask of another process and cannot get is a 503 naming why
 * (app.ts maps SourceUnavailableError).
 *
 * Both may be read from a page of another origin: a screen listing several servers asks the one
 * its socket is on, which need not be the one that served the page. They are public, read-only
 * and rate-limited, and no credentials go with them (`*` admits none).
 */
import type { FastifyPluginAsync } from "fastify";
import { tagParamsSchema, topQuerySchema, type TagParams, type TopQuery } from "../../../shared/messages.ts";
import type { SnapshotSource } from "../../aggregator/snapshot-source.ts";
import { zodRoute } from "../zod-route.ts";

export const topApi: FastifyPluginAsync<{ feed: SnapshotSource }> = async (app, { feed }) => {
  // Encapsulated: only this plugin's routes.
  app.addHook("onSend", async (_request, reply) => {
    reply.header("access-control-allow-origin", "*");
  });

  app.get<{ Querystring: TopQuery }>("/api/top", zodRoute({ querystring: topQuerySchema }), async (request, reply) => {
    const window = request.query.window ?? feed.windows[0] ?? "";
    const { lang, by } = request.query;
    if (lang !== undefined && !feed.windows.includes(window)) {
      return reply.code(404).send({ error: `unknown window "${window}"; windows are: ${feed.windows.join(", ")}` });
    }
    if (lang !== undefined && by !== "posts") return reply.code(400).send({ error: "lang ranks by posts only: drop by or use by=posts" });
    const top = await feed.top(window, request.query.n ?? feed.hello().topN, by, lang?.toLowerCase());
    if (top === undefined && lang !== undefined) {
      const kept = feed.languages?.() ?? [];
      return reply.code(404).send({ error: `language "${lang}" is not kept; kept: ${kept.length === 0 ? "none" : kept.join(", ")} (LANGUAGES)` });
    }
    if (top === undefined) {
      return reply.code(404).send({ error: `unknown window "${window}"; windows are: ${feed.windows.join(", ")}` });
    }
    return top;
  });

  app.get<{ Params: TagParams }>("/api/tags/:tag", zodRoute({ params: tagParamsSchema }), async (request, reply) => {
    const counts = await feed.countsOf(request.params.tag);
    if (counts.tag === "") return reply.code(400).send({ error: "tag has no valid hashtag characters" });
    return counts;
  });
};
