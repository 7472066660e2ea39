/** Route schemas derived from shared/'s zod schemas: ajv checks their JSON Schema form, the handler gets zod's parse. */
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { configUpdateSchema, topQuerySchema } from "../../shared/messages.ts";
import { schemaErrorFormatter } from "../../server/http/error-replies.ts";
import { jsonSchemaOf, zodRoute } from "../../server/http/zod-route.ts";

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe("route schemas from zod", () => {
  it("states the shared request schemas as JSON Schema, unknown properties refused", () => {
    expect(jsonSchemaOf(configUpdateSchema)).toEqual({
      type: "object",
      properties: { triggerInterval: { type: "string", minLength: 1, maxLength: 64 } },
      required: ["triggerInterval"],
      additionalProperties: false,
    });
    expect(jsonSchemaOf(topQuerySchema)).toEqual({
      type: "object",
      properties: {
        window: { type: "string", minLength: 1, maxLength: 64 },
        n: { type: "integer", minimum: 1, maximum: 1000 },
        by: { type: "string", enum: ["posts", "accounts", "trend"], default: "posts" },
        lang: { type: "string", minLength: 1, maxLength: 35 },
      },
      additionalProperties: false,
    });
  });

  it("hands the handler zod's output, and refuses with 400 what only zod can see", async () => {
    // A transform and a refinement: neither has a JSON Schema form, so only zod's parse applies them.
    const body = z.strictObject({
      word: z
        .string()
        .min(1)
        .refine((word) => word !== "forbidden", "is not allowed")
        .transform((word) => word.toUpperCase()),
    });
    const app = Fastify({ ajv: { customOptions: { removeAdditional: false } }, schemaErrorFormatter });
    apps.push(app);
    // As app.ts words a refusal.
    app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) =>
      reply.code(error.statusCode ?? 500).send({ error: error.message }),
    );
    app.post<{ Body: z.infer<typeof body> }>("/echo", zodRoute({ body }), async (request) => ({ got: request.body.word }));

    const post = async (payload: unknown) => {
      const response = await app.inject({ method: "POST", url: "/echo", payload: payload as object });
      return [response.statusCode, response.json()] as const;
    };
    expect(await post({ word: "quiet" })).toEqual([200, { got: "QUIET" }]);
    expect(await post({ word: "forbidden" })).toEqual([400, { error: "body ✖ is not allowed\n  → at word" }]);
    expect(await post({ word: "" })).toEqual([400, { error: "body/word must NOT have fewer than 1 characters" }]);
    expect(await post({ word: "a", more: 1 })).toEqual([400, { error: 'body has an unknown property "more"' }]);
  });
});
