/**
 * Route schemas from the zod schemas in shared/, which stay the one definition of each request.
 *
 * Fastify validates against the JSON Schema form of each (`z.toJSONSchema`) with its ajv, so a
 * refusal reads like every other one the app sends (error-replies.ts words them; the README
 * documents them); the handler then gets what the zod schema parses, typed as shared/ infers it.
 * A zod type provider would validate with zod alone, in zod's own words, changing documented
 * replies.
 */
import type { FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import { z } from "zod";

type Part = "body" | "querystring" | "params";
const REQUEST_FIELD = { body: "body", querystring: "query", params: "params" } as const;

/** The JSON Schema (draft-07, fastify's ajv default) that accepts what `schema` accepts as input. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _draft, ...json } = z.toJSONSchema(schema, { target: "draft-7", io: "input" });
  return json;
}

/**
 * Route options that validate each part of a request against its zod schema and hand the handler
 * the parsed value: `app.put("/x", { ...zodRoute({ body: schema }) }, handler)`.
 */
export function zodRoute(parts: Partial<Record<Part, z.ZodType>>): {
  schema: FastifySchema;
  preHandler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
} {
  const entries = Object.entries(parts) as [Part, z.ZodType][];
  const schema: FastifySchema = Object.fromEntries(entries.map(([part, zod]) => [part, jsonSchemaOf(zod)]));
  const preHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    for (const [part, zod] of entries) {
      const field = REQUEST_FIELD[part];
      const result = zod.safeParse(request[field]);
      // ajv has checked the same constraints, so this refuses only where the two forms part ways
      // (a refinement JSON Schema cannot say): still a 400 naming what is wrong, never a 500.
      if (!result.success) {
        return reply.code(400).send({ error: `${part} ${z.prettifyError(result.error)}` });
      }
      request[field] = result.data;
    }
    return undefined;
  };
  return { schema, preHandler };
}
