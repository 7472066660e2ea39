/**
 * A sparkline's geometry in a `width` × `height` box: one slot per tick of history, right-aligned,
 * so every row shares the same time axis and a tag followed for a short while draws a short line.
 *
 * The vertical scale is the tag's own range, but never narrower than a quarter of its peak: a tag
 * going from 100 to 101 draws a nearly flat line, not a cliff.
 */
export interface SparklineGeometry {
  /** `points` of the line's polyline. */
  readonly line: string;
  /** `points` of the filled polygon under the line. */
  readonly area: string;
  /** The newest point, where a dot marks "now". */
  readonly last: { readonly x: number; readonly y: number };
}

export function sparkline(values: readonly number[], slots: number, width: number, height: number, pad = 2): SparklineGeometry | undefined {
  const shown = values.slice(-slots);
  if (shown.length === 0) return undefined;
  const hi = Math.max(...shown);
  const lo = Math.min(...shown);
  const span = Math.max(hi - lo, hi / 4, 1);
  const middle = (hi + lo) / 2;
  const bottom = middle - span / 2;
  const step = slots > 1 ? (width - 2 * pad) / (slots - 1) : 0;
  const firstX = width - pad - (shown.length - 1) * step;
  const round = (n: number): number => Math.round(n * 100) / 100;
  const points = shown.map((value, index) => ({
    x: round(firstX + index * step),
    y: round(height - pad - ((value - bottom) / span) * (height - 2 * pad)),
  }));
  const line = points.map((p) => `${p.x},${p.y}`).join(" ");
  const first = points[0] as { x: number; y: number };
  const last = points.at(-1) as { x: number; y: number };
  return { line, area: `${first.x},${height} ${line} ${last.x},${height}`, last };
}
