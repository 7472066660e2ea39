/**
 * How the app words a request it refuses: always `{"error": "<what is wrong>"}` with a 4xx status,
 * whether the route's schema refused it or the router did (a malformed URL, a path parameter over
 * the router's length limit, a path that is no route), so a client reads every refusal the same way.
 */
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";

/**
 * Unknown query parameters and body properties are refused rather than silently dropped (ajv's
 * `removeAdditional` is off in app.ts), and the message names the one that is not known.
 */
export const schemaErrorFormatter: NonNullable<FastifyServerOptions["schemaErrorFormatter"]> = (errors, dataVar) => {
  const problems = errors.map((error) => {
    const where = `${dataVar}${error.instancePath}`;
    if (error.keyword === "additionalProperties") {
      const name = String((error.params as { additionalProperty?: unknown }).additionalProperty);
      return `${where} has an unknown ${dataVar === "querystring" ? "parameter" : "property"} "${name}"`;
    }
    return `${where} ${error.message ?? "is not valid"}`;
  });
  return new Error(problems.join(", "));
};

export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.code(status).send({ error: error.message });
}

/** Longest part of an unknown path repeated in the answer; the rest is elided. */
const SHOWN_PATH_CHARS = 200;

/** An unknown route: 404 with the method and path (not the query) that matched nothing. */
export function notFound(request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split("?")[0] ?? "";
  const shown = path.length > SHOWN_PATH_CHARS ? `${path.slice(0, SHOWN_PATH_CHARS)}…` : path;
  void reply.code(404).send({ error: `no such route: ${request.method} ${shown}` });
}
