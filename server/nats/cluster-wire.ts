/**
 * The one definition of what travels between the tiers in cluster mode: the subjects, the headers
 * and the control messages. Ingestors publish post lines, replicas publish snapshots, web nodes read
 * them; each side imports these names from here and from nowhere else.
 *
 *   <stream>.in.posts     in the stream: one line of the line protocol per message (a post, an edit,
 *                          a delete, or a plain line of tags), exactly as the TCP socket carries it
 *   <stream>.in.control   in the stream: epoch markers and run-time settings (controlMessageSchema),
 *                          so that every replica applies them at the same place in the log
 *   <stream>.out.frames   core NATS, not kept: every frame a replica sends its screens (hello, snapshot)
 *   <stream>.api.*        core NATS request-reply, answered by any live replica (queue group)
 *   KV <stream>-latest    the latest hello and snapshot, for a web node that starts or reconnects
 */
import { z } from "zod";
import { tagCountsResponseSchema, topResponseSchema } from "../../shared/messages.ts";

export interface ClusterSubjects {
  /** What the stream captures. */
  readonly input: string;
  readonly posts: string;
  readonly control: string;
  readonly frames: string;
  /** Request-reply: `/api/tags/:tag`'s counts (body: tagRequestSchema). */
  readonly tagCounts: string;
  /** Request-reply: a top not in the snapshot (another `by`, a language; body: topRequestSchema). */
  readonly top: string;
  /** Request-reply: a run-time setting from `PUT /api/config` (body: shared configUpdateSchema). */
  readonly config: string;
  /** The queue group the replicas answer requests in: one answer per request. */
  readonly replicaQueue: string;
  /** The KV bucket holding the latest frames. */
  readonly latestBucket: string;
}

export function clusterSubjects(stream: string): ClusterSubjects {
  return {
    input: `${stream}.in.>`,
    posts: `${stream}.in.posts`,
    control: `${stream}.in.control`,
    frames: `${stream}.out.frames`,
    tagCounts: `${stream}.api.tag`,
    top: `${stream}.api.top`,
    config: `${stream}.api.config`,
    replicaQueue: `${stream}-replicas`,
    latestBucket: `${stream}-latest`,
  };
}

/** KV keys in the latest bucket. */
export const LATEST_KEYS = { hello: "hello", snapshot: "snapshot" } as const;

/** Headers on frames: which epoch a snapshot is (web nodes take the first of each) and who sent it. */
export const FRAME_HEADERS = { epoch: "Tagstream-Epoch", replica: "Tagstream-Replica" } as const;

/**
 * Control messages in the stream. `epoch-end` closes the epoch ending at `at` when no message of a
 * later epoch has done so yet (any replica may write it once the wall clock is past `at` plus the
 * grace; its Nats-Msg-Id `epoch-end:<at>` keeps one copy). `trigger` changes the trigger interval
 * from the next epoch on.
 */
export const controlMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("epoch-end"), at: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("trigger"), ms: z.number().int().positive() }),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

export function epochEndMessageId(at: number): string {
  return `epoch-end:${at}`;
}

export const tagRequestSchema = z.object({ tag: z.string().min(1).max(200) });
export const topRequestSchema = z.object({
  window: z.string(),
  n: z.number().int().positive(),
  by: z.enum(["posts", "accounts", "trend"]).optional(),
  lang: z.string().optional(),
});
export type TopRequest = z.infer<typeof topRequestSchema>;

/**
 * Replies to the `<stream>.api.*` requests. Each is what the replica's own HTTP API would answer
 * (`/api/tags/:tag`, `/api/top`), or, for any request it could not answer, `{"error": "..."}`:
 * the web node then tells its client 503 with that reason.
 */
export const replyErrorSchema = z.strictObject({ error: z.string() });
/** `<stream>.api.tag`: the tag's counts, as `GET /api/tags/:tag` answers them. */
export const tagReplySchema = z.union([replyErrorSchema, tagCountsResponseSchema]);
/** `<stream>.api.top`: the top, or null for a window or language the replica does not have. */
export const topReplySchema = z.union([replyErrorSchema, topResponseSchema, z.null()]);
export type TopReply = z.infer<typeof topReplySchema>;
/**
 * `<stream>.api.config`: accepted (the replica has put a `trigger` control message in the stream,
 * so every replica applies it at the same epoch), or refused with what is wrong ("must be ...").
 */
export const configReplySchema = z.union([
  replyErrorSchema,
  z.strictObject({ accepted: z.literal(true), triggerMs: z.number().int().positive() }),
  z.strictObject({ accepted: z.literal(false), problem: z.string() }),
]);
export type ConfigReply = z.infer<typeof configReplySchema>;
