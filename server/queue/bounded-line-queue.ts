/**
 * The lines an output keeps while they cannot go out yet (an aggregator away, a cluster that does
 * not acknowledge), bounded by count and by UTF-8 bytes: past either bound the oldest are dropped,
 * counted, and logged once per power of ten, loud enough to notice and never a line per drop.
 */
import type { Logger } from "../log/logger.ts";

export interface QueueBounds {
  readonly maxLines: number;
  readonly maxBytes: number;
}

export class BoundedLineQueue<T> {
  readonly #bounds: QueueBounds;
  readonly #sizeOf: (item: T) => number;
  readonly #log: Logger;
  #items: T[] = [];
  /** Byte size of each item, index for index. */
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;
  #dropped = 0;
  #droppedLogged = 0;

  constructor(bounds: QueueBounds, sizeOf: (item: T) => number, log: Logger) {
    this.#bounds = bounds;
    this.#sizeOf = sizeOf;
    this.#log = log;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Items dropped past the bounds since the queue was made. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Adds an item at the back, then drops the oldest while a bound is exceeded. */
  push(item: T, size: number = this.#sizeOf(item)): void {
    this.#items.push(item);
    this.#sizes.push(size);
    this.#bytes += size;
    const { maxLines, maxBytes } = this.#bounds;
    while (this.length > maxLines || this.#bytes > maxBytes) {
      this.#bytes -= this.#sizes[this.#head] as number;
      this.#head++;
      this.#dropped++;
      if (this.#dropped >= this.#droppedLogged * 10) {
        this.#droppedLogged = Math.max(1, this.#dropped);
        this.#log.warn({ dropped: this.#dropped, maxQueueLines: maxLines, maxQueueBytes: maxBytes }, "ingest queue full: dropping oldest lines");
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The oldest item, taken out. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.#items[this.#head] as T;
    this.#bytes -= this.#sizes[this.#head] as number;
    this.#head++;
    if (this.length === 0) this.#clear();
    return item;
  }

  /** Every item, oldest first, taken out. */
  takeAll(): T[] {
    const items = this.#items.slice(this.#head);
    this.#clear();
    return items;
  }

  /**
   * Puts items that were taken out but did not get through back in front of the rest, oldest
   * first; the bounds apply as if they had never left.
   */
  putBack(items: readonly T[]): void {
    if (items.length === 0) return;
    const rest = this.#items.slice(this.#head);
    const restSizes = this.#sizes.slice(this.#head);
    this.#clear();
    for (const item of items) this.push(item);
    for (const [index, item] of rest.entries()) this.push(item, restSizes[index]);
  }

  #clear(): void {
    this.#items = [];
    this.#sizes = [];
    this.#head = 0;
    this.#bytes = 0;
  }
}
