/**
 * The stream and the KV bucket, created on first use with the documented settings (README,
 * "Running on several machines") and left as they are when they exist: an operator may have tuned
 * them, and two processes starting at once must not fight over them.
 */
import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { nanos, type NatsConnection } from "@nats-io/transport-node";
import type { NatsSettings } from "../config/nats-settings.ts";
import { clusterSubjects } from "./cluster-wire.ts";

export async function ensureStream(connection: NatsConnection, settings: NatsSettings): Promise<JetStreamManager> {
  const manager = await jetstreamManager(connection);
  const subjects = clusterSubjects(settings.stream);
  try {
    await manager.streams.info(settings.stream);
  } catch {
    try {
      await manager.streams.add({
        name: settings.stream,
        subjects: [subjects.input],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        num_replicas: settings.replicas,
        duplicate_window: nanos(settings.duplicateWindowMs),
        max_age: nanos(settings.maxAgeMs),
      });
    } catch (error) {
      // Another process created it between our two calls: what matters is that it exists.
      await manager.streams.info(settings.stream).catch(() => {
        throw error;
      });
    }
  }
  return manager;
}

/** The bucket of the latest frames (one value per key is all a late web node needs). */
export async function openLatestBucket(connection: NatsConnection, settings: NatsSettings): Promise<KV> {
  return new Kvm(connection).create(clusterSubjects(settings.stream).latestBucket, { history: 1, replicas: settings.replicas, storage: "file" });
}
