/**
 * Mastodon's status and account ids: the creation time in milliseconds shifted left by 16 bits,
 * plus 16 low bits that separate records created in the same millisecond
 * (lib/mastodon/snowflake.rb). Rendered as decimal strings, since they exceed 2^53.
 */
export function snowflakeId(createdAtMs: number, lowBits: number): string {
  return ((BigInt(Math.floor(createdAtMs)) << 16n) | BigInt(lowBits & 0xffff)).toString();
}
