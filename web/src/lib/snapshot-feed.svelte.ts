/**
 * The dashboard's one connection to the aggregator: opens `/ws`, validates every frame against the
 * shared wire schema, keeps the latest `hello` and `snapshot`, and reconnects with backoff when the
 * socket drops.
 */
import {
  parseServerMessage,
  type Hello,
  type Snapshot,
  type Source,
  type TopEntry,
} from "../../../shared/messages.ts";
import { ReconnectBackoff, type BackoffOptions } from "./reconnect-backoff.ts";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

const NO_ENTRIES: readonly TopEntry[] = Object.freeze([]);

export class SnapshotFeed {
  state: ConnectionState = $state("closed");
  // Messages are replaced whole and never mutated, so they need no deep proxy.
  hello: Hello | undefined = $state.raw();
  snapshot: Snapshot | undefined = $state.raw();
  /** Frames dropped because they failed validation since the page loaded. */
  invalidFrames: number = $state(0);

  /** Window names in the server's order; the snapshot's names stand in until `hello` arrives. */
  readonly windows: readonly string[] = $derived(
    this.hello?.windows ?? this.snapshot?.windows.map((w) => w.window) ?? [],
  );
  /** The freshest word on where posts come from: snapshots repeat what `hello` said. */
  readonly source: Source | undefined = $derived(this.snapshot?.source ?? this.hello?.source);
  readonly instances: readonly string[] = $derived(
    this.snapshot?.instances ?? this.hello?.instances ?? [],
  );
  readonly triggerMs: number | undefined = $derived(
    this.snapshot?.triggerMs ?? this.hello?.triggerMs,
  );

  readonly #url: string;
  readonly #backoff: ReconnectBackoff;

  constructor(url: string, backoff: BackoffOptions = {}) {
    this.#url = url;
    this.#backoff = new ReconnectBackoff(backoff);
  }

  /** The latest ranking of one window, empty until a snapshot carries it. */
  top(window: string): readonly TopEntry[] {
    return this.snapshot?.windows.find((w) => w.window === window)?.top ?? NO_ENTRIES;
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
      const current = new WebSocket(this.#url);
      socket = current;
      current.addEventListener("open", () => {
        this.#backoff.reset();
        this.state = "open";
      });
      current.addEventListener("message", (event: MessageEvent<unknown>) => {
        this.#receive(event.data);
      });
      // A failed attempt fires `error` then `close`, so `close` alone drives the retry.
      current.addEventListener("close", () => {
        if (stopped || socket !== current) return;
        socket = undefined;
        this.state = "reconnecting";
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
    if (message.type === "hello") this.hello = message;
    else this.snapshot = message;
  }
}
