/**
 * `GET /api/config`: the settings that may change at run time. `PUT /api/config` with
 * `{"triggerInterval":"2s"}` and `Authorization: Bearer <ADMIN_TOKEN>` changes the trigger from
 * the next tick; the aggregator then sends every client a new `hello`.
 *
 * Without `ADMIN_TOKEN` the change is disabled (403). A missing or wrong token gets 401, checked
 * before the body is parsed; the comparison runs in constant time and the token is never logged.
 * Attempts are rate-limited per client address, so the token cannot be guessed online: a tighter
 * limit on this route than the app's limiter (api-rate-limit.ts) applies to the rest of `/api/*`.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { formatDuration, parseDuration } from "../../../shared/duration.ts";
import { configUpdateSchema, type ConfigResponse, type ConfigUpdate } from "../../../shared/messages.ts";
import { tokenMatcher } from "../../security/token-matcher.ts";
import type { SnapshotSource } from "../../aggregator/snapshot-source.ts";
import { zodRoute } from "../zod-route.ts";

interface Options {
  feed: SnapshotSource;
  adminToken: string | undefined;
}

/** Attempts (right or wrong) one client address may make per minute. */
export const CONFIG_CHANGES_PER_MINUTE = 30;

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
}

export const configApi: FastifyPluginAsync<Options> = async (app, { feed, adminToken }) => {
  const matches = adminToken === undefined ? undefined : tokenMatcher(adminToken);

  const describe = (triggerMs: number): ConfigResponse => ({ triggerMs, triggerInterval: formatDuration(triggerMs), adminEnabled: matches !== undefined });

  const authorise = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (matches === undefined) {
      return reply.code(403).send({ error: "changing the configuration is disabled: the server has no ADMIN_TOKEN" });
    }
    const token = bearerToken(request);
    if (token === undefined || !matches(token)) {
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="tagstream"')
        .send({ error: "missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)" });
    }
  };

  app.get("/api/config", async () => describe(feed.hello().triggerMs));

  app.put<{ Body: ConfigUpdate }>(
    "/api/config",
    {
      config: { rateLimit: { max: CONFIG_CHANGES_PER_MINUTE, timeWindow: "1 minute" } },
      // After the rate limit (an onRequest hook), before the body is even parsed: a stranger's
      // malformed body gets 401 like any other, and learns nothing about what a body should be.
      preParsing: async (request, reply, payload) => {
        await authorise(request, reply);
        return payload;
      },
      ...zodRoute({ body: configUpdateSchema }),
    },
    async (request, reply) => {
      const text = request.body.triggerInterval;
      const ms = parseDuration(text);
      if (ms === undefined) {
        return reply.code(400).send({ error: `triggerInterval: "${text}" is not a duration (e.g. "500ms", "2s", "1 minute")` });
      }
      const problem = await feed.setTriggerInterval(ms);
      if (problem !== undefined) return reply.code(400).send({ error: `triggerInterval ${problem}` });
      // What was accepted, not the hello at hand: a web node's hello changes when the replicas apply it.
      return describe(ms);
    },
  );
};
