/**
 * The naive baseline every figure is compared with: what one writes first in Node. Each line
 * becomes a string, `split(" ")` makes a string per tag, a `Map` counts them, and each trigger sorts
 * every key to take the top N.
 */
export class NaiveCounter {
  readonly counts = new Map<string, number>();
  #partial = "";
  lines = 0;
  tags = 0;

  /** Takes a chunk of the byte stream, carrying a partial last line over to the next chunk. */
  push(chunk: Buffer): void {
    const text = this.#partial + chunk.toString("utf8");
    const lines = text.split("\n");
    this.#partial = lines.pop() ?? "";
    for (const line of lines) this.ingestLine(line);
  }

  ingestLine(line: string): void {
    this.lines++;
    for (const tag of line.split(" ")) {
      if (tag === "") continue;
      this.counts.set(tag, (this.counts.get(tag) ?? 0) + 1);
      this.tags++;
    }
  }

  /** The top `n` by count, then name: a full sort of every key. */
  top(n: number): Array<{ tag: string; count: number }> {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([tag, count]) => ({ tag, count }));
  }
}
