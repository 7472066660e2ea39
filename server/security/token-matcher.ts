/**
 * Compares a presented secret (INGEST_TOKEN, ADMIN_TOKEN) with the configured one in constant time.
 * Both are hashed to SHA-256 digests first: `timingSafeEqual` needs equal lengths, and comparing
 * fixed-size digests leaks neither the token's content nor its length.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

export function tokenMatcher(expected: string): (presented: string) => boolean {
  const wanted = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), wanted);
}
