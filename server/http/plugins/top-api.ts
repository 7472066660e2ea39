/**
 * The REST view of the counts: `GET /api/top?window=15m&n=20&by=accounts` and `GET /api/tags/:tag`.
 * Query parameters are validated by the route schemas, so a bad value gets a clear 400.
 */
import type { FastifyPluginAsync } from "fastify";
import { rankBySchema, type RankBy } from "../../../shared/messages.ts";
import type { SnapshotSource } from "../../aggregator/snapshot-source.ts";

/** Most entries one `/api/top` request may ask for. */
export const MAX_TOP_N = 1000;

export const topApi: FastifyPluginAsync<{ feed: SnapshotSource }> = async (app, { feed }) => {
  const defaultN = feed.hello().topN;

  app.get<{ Querystring: { window?: string; n: number; by: RankBy; lang?: string } }>(
    "/api/top",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            window: { type: "string", minLength: 1, maxLength: 64 },
            n: { type: "integer", minimum: 1, maximum: MAX_TOP_N, default: defaultN },
            by: { type: "string", enum: rankBySchema.options, default: "posts" },
            lang: { type: "string", minLength: 1, maxLength: 35 },
          },
        },
      },
    },
    async (request, reply) => {
      const window = request.query.window ?? feed.windows[0] ?? "";
      const { lang, by } = request.query;
      if (lang !== undefined && !feed.windows.includes(window)) {
        return reply.code(404).send({ error: `unknown window "${window}"; windows are: ${feed.windows.join(", ")}` });
      }
      if (lang !== undefined && by !== "posts") return reply.code(400).send({ error: "lang ranks by posts only: drop by or use by=posts" });
      const top = feed.top(window, request.query.n, by, lang?.toLowerCase());
      if (top === undefined && lang !== undefined) {
        const kept = feed.languages?.() ?? [];
        return reply.code(404).send({ error: `language "${lang}" is not kept; kept: ${kept.length === 0 ? "none" : kept.join(", ")} (LANGUAGES)` });
      }
      if (top === undefined) {
        return reply.code(404).send({ error: `unknown window "${window}"; windows are: ${feed.windows.join(", ")}` });
      }
      return top;
    },
  );

  app.get<{ Params: { tag: string } }>(
    "/api/tags/:tag",
    { schema: { params: { type: "object", properties: { tag: { type: "string", minLength: 1, maxLength: 256 } } } } },
    async (request, reply) => {
      const counts = feed.countsOf(request.params.tag);
      if (counts.tag === "") return reply.code(400).send({ error: "tag has no valid hashtag characters" });
      return counts;
    },
  );
};
