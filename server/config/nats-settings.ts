/**
 * The cluster mode's settings: where NATS is, what the stream is called and how it is kept. Part of
 * the one configuration (config.ts), kept in its own file; config.ts merges these variables into its
 * schema and reports their problems with every other. Without NATS_URL every command runs as on one
 * machine and none of this is used.
 */
import { existsSync } from "node:fs";
import { z } from "zod";
import { checked, duration, positiveInt } from "./variable-types.ts";

export const NATS_FLAGS = {
  nats: "NATS_URL",
  "nats-stream": "NATS_STREAM",
} as const;

/** Stream names are NATS subject tokens too (the stream's subjects start with it): letters, digits, - and _. */
const STREAM_NAME = /^[A-Za-z0-9_-]{1,32}$/;

function parseServers(text: string, problems: string[]): string[] {
  const servers = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  for (const server of servers) {
    let url: URL | undefined;
    try {
      url = new URL(server.includes("://") ? server : `nats://${server}`);
    } catch {
      url = undefined;
    }
    if (url === undefined || !["nats:", "tls:", "ws:", "wss:"].includes(url.protocol) || url.hostname === "") {
      problems.push(`NATS_URL: "${server}" is not a NATS server address (e.g. nats://10.0.0.5:4222, or host:port)`);
    }
  }
  if (servers.length === 0) problems.push("NATS_URL: give at least one server, e.g. nats://127.0.0.1:4222");
  return servers;
}

const readableFile = (name: string) =>
  z.string().refine((file) => existsSync(file), { error: (issue) => `${name}: no such file: ${String(issue.input)}` });

export const natsVariables = {
  NATS_URL: checked(parseServers).optional(),
  NATS_STREAM: z.string().regex(STREAM_NAME, { error: "NATS_STREAM: 1 to 32 letters, digits, - or _" }).default("TAGSTREAM"),
  // R3 survives the loss of any one node of a 3-node cluster; R1 is for a single server.
  NATS_REPLICAS: positiveInt(3, 5),
  // JetStream drops a message whose Nats-Msg-Id it has stored within this window: the bound on de-duplication.
  NATS_DUPLICATE_WINDOW: duration("NATS_DUPLICATE_WINDOW", { min: 1000, max: 7 * 86_400_000, text: "1s and 7 days" }).default(2 * 3_600_000),
  // How long after an epoch's end its marker waits for messages still on their way to the stream.
  NATS_EPOCH_GRACE: duration("NATS_EPOCH_GRACE", { min: 0, max: 60_000, text: "0 and 1 minute" }).default(500),
  // How long the stream keeps messages: a replica restored from an older checkpoint cannot catch up.
  NATS_MAX_AGE: duration("NATS_MAX_AGE", { min: 60_000, max: 365 * 86_400_000, text: "1 minute and 365 days" }).default(7 * 86_400_000),
  NATS_CREDS: readableFile("NATS_CREDS").optional(),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  NATS_TLS_CA: readableFile("NATS_TLS_CA").optional(),
  NATS_TLS_CERT: readableFile("NATS_TLS_CERT").optional(),
  NATS_TLS_KEY: readableFile("NATS_TLS_KEY").optional(),
};

type NatsVariables = z.infer<z.ZodObject<typeof natsVariables>>;

export interface NatsSettings {
  /** The cluster's servers; the client connects to any and fails over to the others. */
  readonly servers: readonly string[];
  /** The stream's name; its subjects are `<stream>.>` (server/nats/cluster-subjects.ts). */
  readonly stream: string;
  /** Copies of every message the stream keeps (1 on a single server, 3 on a 3-node cluster). */
  readonly replicas: number;
  readonly duplicateWindowMs: number;
  readonly epochGraceMs: number;
  readonly maxAgeMs: number;
  readonly auth: {
    readonly credsFile?: string;
    readonly user?: string;
    readonly password?: string;
    readonly token?: string;
  };
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
}

/** The settings, or undefined without NATS_URL; problems are pushed to `problems`. */
export function natsSettings(env: NatsVariables, problems: string[]): NatsSettings | undefined {
  if (env.NATS_URL === undefined) return undefined;
  if ((env.NATS_USER === undefined) !== (env.NATS_PASSWORD === undefined)) problems.push("NATS_USER and NATS_PASSWORD go together");
  if ((env.NATS_TLS_CERT === undefined) !== (env.NATS_TLS_KEY === undefined)) problems.push("NATS_TLS_CERT and NATS_TLS_KEY go together");
  const tlsGiven = env.NATS_TLS_CA !== undefined || env.NATS_TLS_CERT !== undefined;
  return {
    servers: env.NATS_URL,
    stream: env.NATS_STREAM,
    replicas: env.NATS_REPLICAS,
    duplicateWindowMs: env.NATS_DUPLICATE_WINDOW,
    epochGraceMs: env.NATS_EPOCH_GRACE,
    maxAgeMs: env.NATS_MAX_AGE,
    auth: {
      ...(env.NATS_CREDS !== undefined && { credsFile: env.NATS_CREDS }),
      ...(env.NATS_USER !== undefined && { user: env.NATS_USER }),
      ...(env.NATS_PASSWORD !== undefined && { password: env.NATS_PASSWORD }),
      ...(env.NATS_TOKEN !== undefined && { token: env.NATS_TOKEN }),
    },
    ...(tlsGiven && {
      tls: {
        ...(env.NATS_TLS_CA !== undefined && { caFile: env.NATS_TLS_CA }),
        ...(env.NATS_TLS_CERT !== undefined && { certFile: env.NATS_TLS_CERT }),
        ...(env.NATS_TLS_KEY !== undefined && { keyFile: env.NATS_TLS_KEY }),
      },
    }),
  };
}
