/**
 * Plain `ws` clients for protocol-level tests: open a socket (or observe its refusal) and read
 * its frames in order without losing any that arrive before the test asks for them.
 */
import WebSocket, { type ClientOptions } from "ws";

export interface Refusal {
  readonly status: number;
  readonly message: string | undefined;
}

export class FrameQueue {
  private readonly frames: string[] = [];
  private readonly waiting: Array<(frame: string) => void> = [];

  constructor(socket: WebSocket) {
    socket.on("message", (data) => {
      const frame = Buffer.isBuffer(data) ? data.toString("utf8") : String(data);
      const waiter = this.waiting.shift();
      if (waiter === undefined) this.frames.push(frame);
      else waiter(frame);
    });
  }

  next(timeoutMs = 2_000): Promise<string> {
    const frame = this.frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push((received) => {
        clearTimeout(timer);
        resolve(received);
      });
    });
  }

  /** Frames received and not yet read. */
  pending(): readonly string[] {
    return [...this.frames];
  }
}

export class SocketPool {
  private readonly sockets = new Set<WebSocket>();

  open(url: string, protocols?: string | string[], options?: ClientOptions): Promise<WebSocket> {
    const socket = this.create(url, protocols, options);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(socket));
      socket.once("error", reject);
      socket.once("unexpected-response", (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    });
  }

  refusal(url: string, protocols?: string | string[], options?: ClientOptions): Promise<Refusal> {
    const socket = this.create(url, protocols, options);
    return new Promise((resolve, reject) => {
      socket.once("open", () => reject(new Error("the upgrade was accepted")));
      socket.once("error", () => undefined);
      socket.once("unexpected-response", (request, response) => {
        const header = response.headers["x-error-message"];
        resolve({ status: response.statusCode ?? 0, message: Array.isArray(header) ? header[0] : header });
        request.destroy();
      });
    });
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }

  private create(url: string, protocols?: string | string[], options?: ClientOptions): WebSocket {
    const socket = new WebSocket(url, protocols, options);
    socket.on("error", () => undefined);
    this.sockets.add(socket);
    return socket;
  }
}

export function closed(socket: WebSocket): Promise<{ readonly code: number; readonly reason: string }> {
  return new Promise((resolve) => {
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") }));
  });
}
