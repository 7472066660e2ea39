/**
 * The shape of a decoded checkpoint, checked before anything is restored from it.
 *
 * The checkpoint's hash proves the bytes are the ones written, not that they hold what this version
 * expects: a file from a build with another state layout, or written by hand, would otherwise fail
 * half-way through the restore with a TypeError. Parallel arrays must have matching lengths, since
 * the restore walks one by the index of the other. Objects may carry fields this version does not
 * know (checkpoints from later versions add fields, never change their meaning).
 */
import { z } from "zod";
import { topEntrySchema } from "../../../shared/messages.ts";
import { ENGINE_STATE_VERSION } from "../engine/engine-state.ts";

export const AGGREGATOR_STATE_FORMAT = "tagstream-aggregator";
export const AGGREGATOR_STATE_VERSION = 1;

const count = z.number().nonnegative();
const time = z.number().finite();
const float64s = z.instanceof(Float64Array);
const uint32s = z.instanceof(Uint32Array);
/** A number that may be infinite: the complete window's length, "nothing held yet" marks. */
const extended = z.custom<number>((value) => typeof value === "number" && !Number.isNaN(value), "expected a number (possibly infinite)");
/** Deltas are Int32Array; checkpoints from before that hold Float64Array (see `copyBucket`). */
const deltas = z.union([z.instanceof(Int32Array), float64s]);

const sameLength = (pair: { readonly ids: ArrayLike<number>; readonly deltas: ArrayLike<number> }): boolean => pair.ids.length === pair.deltas.length;

const bucket = z
  .looseObject({ epoch: count, closedAt: time, ids: uint32s, deltas })
  .refine(sameLength, "bucket ids and deltas differ in length");

const window = z.discriminatedUnion("kind", [
  z.looseObject({ kind: z.literal("complete"), name: z.string(), totals: float64s }),
  z.looseObject({ kind: z.literal("sliding"), name: z.string(), buckets: z.array(bucket) }),
]);

/** Distinct accounts per tag (engine/account-counts.ts). */
const accounts = z
  .looseObject({
    pairs: z.array(z.tuple([z.string(), z.string(), z.array(count), extended])),
    epochs: z.array(count),
    closedAt: z.array(time),
    oldest: z.array(extended),
    lengths: z.array(extended),
    errors: z.array(z.tuple([z.string(), z.array(count), z.array(extended)])),
    forgotten: count,
    masks: z.array(z.number().int().nonnegative()).optional(),
    retractions: z.array(z.tuple([z.string(), count])).optional(),
    touched: z.array(z.string()).optional(),
  })
  .refine((a) => a.epochs.length === a.closedAt.length, "account epochs and close times differ in length")
  .refine((a) => a.masks === undefined || a.masks.length === a.pairs.length, "account pairs and masks differ in length");

/** The trend's baseline slots and best scores (engine/trend-scores.ts). */
const trend = z.looseObject({
  slots: z.array(z.tuple([extended, z.array(z.tuple([z.string(), count]))])),
  best: z.array(z.tuple([z.string(), z.number().finite(), time])),
  firstSlot: extended,
  windowMs: z.number().positive(),
});

const eventTime = z.looseObject({
  newest: extended,
  late: count,
  beforeWindow: count,
  future: count,
  pending: z.array(z.looseObject({ epoch: count, ids: z.array(count) })),
  createdAt: time.optional(),
});

const engine = z.looseObject({
  version: z.literal(ENGINE_STATE_VERSION),
  latest: z.looseObject({
    epoch: count,
    at: time,
    windows: z.array(z.looseObject({ window: z.string(), top: z.array(topEntrySchema) })),
    counters: z.looseObject({ lines: count, tags: count, distinct: count }),
  }),
  lines: count,
  tags: count,
  admissions: count,
  names: z.looseObject({ bytes: z.instanceof(Uint8Array), lengths: uint32s, free: uint32s, admitted: uint32s }),
  windows: z.array(window),
  estimates: float64s.optional(),
  open: z.looseObject({ ids: uint32s, deltas: float64s }).refine(sameLength, "open ids and deltas differ in length"),
  retractions: float64s,
  summary: z
    .looseObject({
      floor: count,
      error: float64s,
      tenure: uint32s,
      heapIds: uint32s,
      heapKeys: float64s,
      evictedSinceSweep: count,
    })
    .optional(),
  accounts: accounts.optional(),
  withAccount: count.optional(),
  trend: trend.optional(),
  eventTime: eventTime.optional(),
});

const posts = z
  .looseObject({
    ids: z.array(z.string()),
    since: float64s,
    lengths: uint32s,
    tags: z.array(z.string()),
    epochs: float64s,
    accts: z.array(z.string()).optional(),
    langs: z.array(z.string()).optional(),
    repeated: count,
    edits: count,
    deletes: count,
    unknown: count,
  })
  .refine((p) => p.since.length === p.ids.length && p.lengths.length === p.ids.length, "post ids, times and lengths differ in length")
  .refine((p) => p.lengths.reduce((sum, n) => sum + n, 0) === p.tags.length && p.tags.length === p.epochs.length, "post tags and epochs differ in length")
  .refine((p) => (p.accts ?? p.ids).length === p.ids.length && (p.langs ?? p.ids).length === p.ids.length, "post ids, authors and languages differ in length");

export const aggregatorStateSchema = z.looseObject({
  format: z.literal(AGGREGATOR_STATE_FORMAT),
  version: z.literal(AGGREGATOR_STATE_VERSION),
  savedAt: time,
  settings: z.looseObject({
    windows: z.array(z.string()),
    capacity: z.number().int().positive().optional(),
    topN: z.number().int().positive(),
    configuredTriggerMs: z.number().positive(),
    triggerMs: z.number().positive(),
  }),
  engine,
  posts,
  history: z.looseObject({
    windows: z.array(z.string()),
    series: z.array(z.tuple([z.string(), z.array(z.array(z.number()))])),
  }),
  intake: z.looseObject({
    rejected: z.array(z.tuple([z.string(), count])),
    invalidTags: count,
    longTags: count.optional(),
  }),
  stream: z
    .looseObject({
      stream: z.string(),
      seq: z.number().int().nonnegative(),
      origin: time.optional(),
      epochs: z.looseObject({ start: time.optional(), triggerMs: z.number().positive(), nextTriggerMs: z.number().positive().optional() }),
    })
    .optional(),
});

/** What is wrong with the shape of `state`, in one line naming the first offending field, or undefined. */
export function stateShapeProblem(state: unknown): string | undefined {
  const result = aggregatorStateSchema.safeParse(state);
  if (result.success) return undefined;
  const [issue] = result.error.issues;
  return issue === undefined ? "malformed" : `${issue.path.length > 0 ? issue.path.join(".") : "state"}: ${issue.message}`;
}
