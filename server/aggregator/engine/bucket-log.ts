/**
 * The closed buckets the sliding windows hold, oldest first, their (id, delta) entries written in
 * place into chunks of fixed size: a tick appends its bucket to the newest chunk (or a fresh one),
 * expiry frees chunks from the oldest end once no held bucket is left in them, and sweeping out
 * the entries of evicted ids compacts in place. A bucket is no allocation of its own and growing
 * never copies, so ticks make no garbage and memory follows the entries held: with buckets as
 * arrays of their own, freed buckets fragmented the heap, and one growing array needs its old and
 * new copies at once. A bucket's entries are contiguous; one larger than a chunk gets its own.
 *
 * Buckets are numbered in order; windows remember the number of the oldest bucket they hold.
 */
import type { ClosedBucket } from "./count-bucket.ts";

/** True when the entry of `id` in the bucket of `epoch` still belongs to the tag `id` names. */
export type EntryFilter = (id: number, epoch: number) => boolean;

interface Chunk {
  readonly ids: Uint32Array;
  readonly deltas: Int32Array;
  /** Entries written, from 0. */
  used: number;
}

/** Chunks kept for reuse when expiry empties them, so that a steady window allocates nothing. */
const SPARE_CHUNKS = 2;

export class BucketLog {
  readonly #chunkSize: number;
  /** Chunks in use, oldest first; the last takes new buckets. */
  #chunks: Chunk[] = [];
  #spare: Chunk[] = [];
  /** Per held bucket, from number `#base` on: epoch, close time, chunk, first entry, entry count. */
  #epochs: number[] = [];
  #closedAt: number[] = [];
  #chunkOf: Chunk[] = [];
  #at: number[] = [];
  #lengths: number[] = [];
  #base = 0;
  #keep: EntryFilter | undefined;
  /**
   * Entries added to a closed bucket after it closed (a post that arrived late, counted in the
   * interval of its event time), by epoch: a bucket's entries are contiguous in its chunk and cannot
   * grow, so these sit beside it and expire with it. Few: only buckets within the allowed lateness get any.
   */
  #extra = new Map<number, { ids: number[]; deltas: number[] }>();
  /** Close time of the newest bucket forgotten (-Infinity before any). */
  #droppedClosedAt = Number.NEGATIVE_INFINITY;

  /** `chunkSize`: entries a chunk holds (8 bytes each). */
  constructor(chunkSize = 1 << 18) {
    this.#chunkSize = chunkSize;
  }

  /** Number of the oldest bucket held. */
  get start(): number {
    return this.#base;
  }

  /** One past the number of the newest bucket. */
  get end(): number {
    return this.#base + this.#epochs.length;
  }

  /** Entries are kept only while `keep` accepts them (ids that changed tag are not). */
  keepOnly(keep: EntryFilter): void {
    this.#keep = keep;
  }

  get keep(): EntryFilter | undefined {
    return this.#keep;
  }

  /** Makes room for `count` contiguous entries; returns where in `entries` they go. */
  reserve(count: number): number {
    const last = this.#chunks.at(-1);
    if (last !== undefined && last.used + count <= last.ids.length) return last.used;
    const chunk = count <= this.#chunkSize ? (this.#spare.pop() ?? newChunk(this.#chunkSize)) : newChunk(count);
    chunk.used = 0;
    this.#chunks.push(chunk);
    return 0;
  }

  /** The arrays of the chunk `reserve` made room in, to write entries to. */
  get entries(): { readonly ids: Uint32Array; readonly deltas: Int32Array } {
    return this.#chunks.at(-1) ?? newChunk(0);
  }

  /** Adds the bucket whose `count` entries were written at `at` (as `reserve` returned). */
  commit(epoch: number, closedAt: number, at: number, count: number): void {
    const chunk = this.#chunks.at(-1) as Chunk;
    this.#epochs.push(epoch);
    this.#closedAt.push(closedAt);
    this.#chunkOf.push(chunk);
    this.#at.push(at);
    this.#lengths.push(count);
    chunk.used = at + count;
  }

  /** Appends a copy of `bucket`, as on restore. */
  append(bucket: ClosedBucket): void {
    const at = this.reserve(bucket.ids.length);
    this.entries.ids.set(bucket.ids, at);
    this.entries.deltas.set(bucket.deltas, at);
    this.commit(bucket.epoch, bucket.closedAt, at, bucket.ids.length);
  }

  epochOf(number: number): number {
    return this.#epochs[number - this.#base] as number;
  }

  closedAtOf(number: number): number {
    return this.#closedAt[number - this.#base] as number;
  }

  /** Bucket `number` as views of its entries: writing its deltas writes the log. */
  bucket(number: number): ClosedBucket {
    const i = number - this.#base;
    const chunk = this.#chunkOf[i] as Chunk;
    const at = this.#at[i] as number;
    const end = at + (this.#lengths[i] as number);
    return { epoch: this.#epochs[i] as number, closedAt: this.#closedAt[i] as number, ids: chunk.ids.subarray(at, end), deltas: chunk.deltas.subarray(at, end) };
  }

  /** The number of the bucket closed at `epoch` from `from` on, or -1 (buckets are in epoch order). */
  find(epoch: number, from: number): number {
    let lo = Math.max(from, this.#base) - this.#base;
    let hi = this.#epochs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.#epochs[mid] as number;
      if (at === epoch) return mid + this.#base;
      if (at < epoch) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Adds `delta` occurrences of `id` to the closed bucket of `epoch` (see `#extra`). */
  addLate(epoch: number, id: number, delta: number): void {
    let extra = this.#extra.get(epoch);
    if (extra === undefined) {
      extra = { ids: [], deltas: [] };
      this.#extra.set(epoch, extra);
    }
    extra.ids.push(id);
    extra.deltas.push(delta);
  }

  /** What was added to the bucket of `epoch` after it closed, as a bucket of its own (a copy), or undefined. */
  lateOf(epoch: number): ClosedBucket | undefined {
    const extra = this.#extra.get(epoch);
    if (extra === undefined) return undefined;
    return { epoch, closedAt: Number.NaN, ids: Uint32Array.from(extra.ids), deltas: Int32Array.from(extra.deltas) };
  }

  /** Takes one occurrence of `id` back from the late entries of `epoch`; false when it has none left there. */
  retractLate(epoch: number, id: number): boolean {
    const extra = this.#extra.get(epoch);
    if (extra === undefined) return false;
    for (let i = 0; i < extra.ids.length; i++) {
      if (extra.ids[i] === id && (extra.deltas[i] as number) > 0) {
        extra.deltas[i] = (extra.deltas[i] as number) - 1;
        return true;
      }
    }
    return false;
  }

  /** The number of the first bucket closed at or after `time`, or -1 when none is (buckets are in time order). */
  findByTime(time: number): number {
    let lo = 0;
    let hi = this.#closedAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#closedAt[mid] as number) >= time) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.#closedAt.length ? lo + this.#base : -1;
  }

  /** Close time of the newest bucket already forgotten: anything at or before it is in no bucket held. */
  get droppedClosedAt(): number {
    return this.#droppedClosedAt;
  }

  /** Forgets the buckets numbered below `number` (no window holds them any more), and the chunks they leave empty. */
  dropBefore(number: number): void {
    const drop = Math.min(number, this.end) - this.#base;
    if (drop <= 0) return;
    this.#droppedClosedAt = this.#closedAt[drop - 1] as number;
    for (const epoch of this.#epochs.slice(0, drop)) this.#extra.delete(epoch);
    for (const list of [this.#epochs, this.#closedAt, this.#chunkOf, this.#at, this.#lengths]) list.splice(0, drop);
    this.#base += drop;
    this.#release();
  }

  /**
   * Drops the entries `keep` rejects and packs the rest towards the oldest, in place. Writing never
   * overtakes reading: each bucket moves back by what was dropped before it, into its own chunk or
   * an older one.
   */
  sweep(): void {
    const keep = this.#keep;
    if (keep === undefined || this.#epochs.length === 0) return;
    let into = 0;
    let write = this.#at[0] as number;
    for (let i = 0; i < this.#epochs.length; i++) {
      const chunk = this.#chunkOf[i] as Chunk;
      const at = this.#at[i] as number;
      const length = this.#lengths[i] as number;
      const epoch = this.#epochs[i] as number;
      let target = this.#chunks[into] as Chunk;
      while (target !== chunk && write + length > target.ids.length) {
        target.used = write;
        target = this.#chunks[++into] as Chunk;
        write = 0;
      }
      let kept = 0;
      for (let k = at; k < at + length; k++) {
        const id = chunk.ids[k] as number;
        if (!keep(id, epoch)) continue;
        target.ids[write + kept] = id;
        target.deltas[write + kept] = chunk.deltas[k] as number;
        kept++;
      }
      this.#chunkOf[i] = target;
      this.#at[i] = write;
      this.#lengths[i] = kept;
      write += kept;
    }
    (this.#chunks[into] as Chunk).used = write;
    for (const chunk of this.#chunks.splice(into + 1)) this.#recycle(chunk);
  }

  /** Entries held, for figures and tests. */
  get held(): number {
    return this.#lengths.reduce((sum, length) => sum + length, 0);
  }

  /** Chunks in use, for figures and tests. */
  get chunks(): number {
    return this.#chunks.length;
  }

  /** Frees the oldest chunks no held bucket is in. */
  #release(): void {
    const oldest = this.#chunkOf[0];
    while (this.#chunks.length > 0 && this.#chunks[0] !== oldest) this.#recycle(this.#chunks.shift() as Chunk);
    if (oldest === undefined) this.#chunks = [];
  }

  #recycle(chunk: Chunk): void {
    if (chunk.ids.length === this.#chunkSize && this.#spare.length < SPARE_CHUNKS) this.#spare.push(chunk);
  }
}

function newChunk(size: number): Chunk {
  return { ids: new Uint32Array(size), deltas: new Int32Array(size), used: 0 };
}
