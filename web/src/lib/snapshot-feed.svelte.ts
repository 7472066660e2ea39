/**
 * The dashboard's one connection to the aggregator: opens `/ws`, validates every frame against the
 * shared wire schema, keeps the latest `hello` and `snapshot`, and reconnects with backoff when the
 * socket drops. Given several servers (web nodes, shared/server-list.ts), each reconnection goes
 * to the next one. The server sends its latest snapshot first on every connection, so a resumed
 * screen is up to date at once.
 *
 * While the page is hidden, frames are still received (so the rates stay right) but the shown
 * snapshot is not replaced: nothing re-renders for a tab nobody looks at, and the newest snapshot
 * appears the moment the page is visible again.
 */
import { Backoff, type BackoffPolicy } from "../../../shared/backoff.ts";
import { apiOriginOf, ServerRotation } from "../../../shared/server-list.ts";
import {
  parseServerMessage,
  type Hello,
  type RankBy,
  type Snapshot,
  type Source,
  type TopEntry,
} from "../../../shared/messages.ts";
import type { ConnectionState } from "./connection-state.ts";
import { rankingOf } from "./rank-by.ts";
import { RateMeter, type Rates } from "./rate-meter.ts";

const NO_ENTRIES: readonly TopEntry[] = Object.freeze([]);

/** A dashboard retries sooner than the ingestor at first, and never waits more than 10 s. */
export const DASHBOARD_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 10_000 };

export class SnapshotFeed {
  state: ConnectionState = $state("closed");
  // Messages are replaced whole and never mutated, so they need no deep proxy.
  hello: Hello | undefined = $state.raw();
  /** The snapshot on screen: the newest one received, except while the page is hidden. */
  snapshot: Snapshot | undefined = $state.raw();
  /** When the shown snapshot arrived, by this browser's clock (the server's may differ). */
  receivedAt: number | undefined = $state();
  /** The trigger interval of the newest message: a `hello` announcing a change counts at once. */
  triggerMs: number | undefined = $state();
  /** Posts and hashtags per second, as of the shown snapshot. */
  rates: Rates | undefined = $state.raw();
  /** Frames dropped because they failed validation since the page loaded. */
  invalidFrames: number = $state(0);
  /** False while the page is hidden: then nothing on it needs to change. */
  visible: boolean = $state(true);
  /**
   * Where to ask the REST API: the server the socket was last open to (the first one before), so
   * that a screen that moved to another server asks that one too.
   */
  apiOrigin: string = $state("");

  /** Window names in the server's order; the snapshot's names stand in until `hello` arrives. */
  readonly windows: readonly string[] = $derived(
    this.hello?.windows ?? this.snapshot?.windows.map((w) => w.window) ?? [],
  );
  /** The freshest word on where posts come from: snapshots repeat what `hello` said. */
  readonly source: Source | undefined = $derived(this.snapshot?.source ?? this.hello?.source);
  readonly instances: readonly string[] = $derived(
    this.snapshot?.instances ?? this.hello?.instances ?? [],
  );
  /** Ingestors connected as of the shown snapshot; undefined before the first. */
  readonly ingestors: number | undefined = $derived(this.snapshot?.stats.ingestors);
  /** When the aggregator started, in ms since the epoch (its clock). */
  readonly startedAt: number | undefined = $derived.by(() => {
    const text = this.snapshot?.startedAt ?? this.hello?.startedAt;
    const ms = text === undefined ? NaN : Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  });

  readonly #servers: ServerRotation;
  readonly #backoff: Backoff;
  readonly #rates = new RateMeter();
  #newest: { snapshot: Snapshot; receivedAt: number } | undefined;

  /** `urls`: the socket URLs to use, in order of preference (one, usually: the page's own server). */
  constructor(urls: string | readonly string[], backoff: Backoff = new Backoff(DASHBOARD_BACKOFF)) {
    this.#servers = new ServerRotation(typeof urls === "string" ? [urls] : urls);
    this.#backoff = backoff;
    this.apiOrigin = apiOriginOf(this.#servers.current);
  }

  /** The latest ranking of one window, empty until a snapshot carries it. */
  top(window: string, by: RankBy = "posts"): readonly TopEntry[] {
    const ranking = rankingOf(this.snapshot?.windows.find((w) => w.window === window), by);
    return ranking.length === 0 ? NO_ENTRIES : ranking;
  }

  /**
   * Opens the socket and keeps a connection up until the returned function is called: shaped to be
   * the whole body of one `$effect`, which then owns the socket and its retry timer.
   */
  connect(): () => void {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const open = (): void => {
      const current = new WebSocket(this.#servers.current);
      socket = current;
      current.addEventListener("open", () => {
        this.#backoff.reset();
        this.apiOrigin = apiOriginOf(current.url);
        this.state = "open";
      });
      current.addEventListener("message", (event: MessageEvent<unknown>) => {
        this.#receive(event.data);
      });
      // A failed attempt fires `error` then `close`, so `close` alone drives the retry, to the
      // next server when there are several.
      current.addEventListener("close", () => {
        if (stopped || socket !== current) return;
        socket = undefined;
        this.state = "reconnecting";
        this.#servers.next();
        retry = setTimeout(() => {
          retry = undefined;
          open();
        }, this.#backoff.next());
      });
    };

    this.state = "connecting";
    open();

    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close(1000, "dashboard closed");
      socket = undefined;
      this.state = "closed";
    };
  }

  /**
   * Holds the shown snapshot while `document` is hidden and shows the newest on return; returns the
   * cleanup, to be the body of one `$effect`.
   */
  followVisibility(document: Document): () => void {
    const update = (): void => {
      this.visible = document.visibilityState !== "hidden";
      if (this.visible) this.#show();
    };
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }

  #receive(data: unknown): void {
    const parsed =
      typeof data === "string"
        ? parseServerMessage(data)
        : ({ ok: false, error: "frame is not text" } as const);
    if (!parsed.ok) {
      this.invalidFrames++;
      console.warn(`tagstream: ignored invalid frame (${this.invalidFrames} so far): ${parsed.error}`);
      return;
    }
    const message = parsed.value;
    this.triggerMs = message.triggerMs;
    if (message.type === "hello") {
      this.hello = message;
      return;
    }
    this.#rates.add({ at: Date.parse(message.at), lines: message.stats.lines, tags: message.stats.tags });
    this.#newest = { snapshot: message, receivedAt: Date.now() };
    if (this.visible) this.#show();
  }

  #show(): void {
    const newest = this.#newest;
    if (newest === undefined || newest.snapshot === this.snapshot) return;
    this.snapshot = newest.snapshot;
    this.receivedAt = newest.receivedAt;
    this.rates = this.#rates.current;
  }
}
