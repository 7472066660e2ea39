/**
 * A stand-in WebSocket for masto (its `implementation` option) that plays recorded frames instead
 * of talking to a server, so that a replay goes through masto exactly as live frames do: masto
 * sends its subscribe frame, parses each frame, camelCases the payload and filters by stream.
 *
 * It implements the part of the WebSocket API masto uses: `readyState`, `send`, `close` and the
 * `open`, `message` and `close` events.
 */
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export class ReplayChannel {
  #socket: ReplaySocket | undefined;
  #subscribed: () => void = () => {};
  /** Resolves once masto has sent its subscribe frame: frames played before would be lost. */
  readonly subscribed: Promise<void> = new Promise((resolve) => {
    this.#subscribed = resolve;
  });

  /** The class to give masto: each instance it makes plays this channel's frames. */
  socketClass(): new (url: string | URL, protocols?: string | string[]) => EventTarget {
    const channel = this;
    return class extends ReplaySocket {
      constructor() {
        super(channel);
      }
    };
  }

  attach(socket: ReplaySocket): void {
    this.#socket = socket;
  }

  sent(data: string): void {
    if (data.includes('"type":"subscribe"')) this.#subscribed();
  }

  /** Hands one frame to masto. */
  play(text: string): void {
    this.#socket?.receive(text);
  }

  /** The recording is over: the socket closes, and masto's subscription ends. */
  end(): void {
    this.#socket?.close();
  }
}

class ReplaySocket extends EventTarget {
  readyState = CONNECTING;
  readonly #channel: ReplayChannel;

  constructor(channel: ReplayChannel) {
    super();
    this.#channel = channel;
    channel.attach(this);
    queueMicrotask(() => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.dispatchEvent(new Event("open"));
    });
  }

  send(data: string): void {
    if (this.readyState === OPEN) this.#channel.sent(data);
  }

  receive(text: string): void {
    if (this.readyState === OPEN) this.dispatchEvent(new MessageEvent("message", { data: text }));
  }

  close(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.dispatchEvent(new Event("close"));
  }
}
