/** Counts as the reader's locale groups digits: 12345 -> "12,345" in English. */
const grouping = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatCount(count: number): string {
  return grouping.format(count);
}
