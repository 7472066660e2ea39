/** Counts as the reader's locale groups digits: 12345 -> "12,345" in English. */
const grouping = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatCount(count: number): string {
  return grouping.format(count);
}

const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** A per-second rate: one decimal below 100 ("4.2"), whole and grouped above ("1,204"). */
export function formatRate(perSecond: number): string {
  return perSecond < 100 ? oneDecimal.format(perSecond) : grouping.format(perSecond);
}
