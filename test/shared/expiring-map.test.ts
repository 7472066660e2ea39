import { describe, expect, it } from "vitest";
import { ExpiringMap } from "../../shared/expiring-map.ts";

describe("ExpiringMap", () => {
  it("forgets a key maxAgeMs after it was first set, not after it was last set", () => {
    const map = new ExpiringMap<string, number>({ maxEntries: 10, maxAgeMs: 100 });
    map.set("a", 1, 0);
    map.set("a", 2, 90);
    expect(map.get("a", 99)).toBe(2);
    expect(map.get("a", 100)).toBeUndefined();
    expect(map.evicted).toBe(1);
  });

  it("keeps at most maxEntries keys, evicting the oldest first", () => {
    const map = new ExpiringMap<string, number>({ maxEntries: 2, maxAgeMs: 1_000 });
    map.set("a", 1, 0);
    map.set("b", 2, 1);
    map.set("c", 3, 2);
    expect(map.size).toBe(2);
    expect(map.has("a", 3)).toBe(false);
    expect(map.get("b", 3)).toBe(2);
    expect(map.get("c", 3)).toBe(3);
  });

  it("takes a key out and returns its value", () => {
    const map = new ExpiringMap<string, string>({ maxEntries: 2, maxAgeMs: 1_000 });
    map.set("a", "x", 0);
    expect(map.take("a", 1)).toBe("x");
    expect(map.take("a", 2)).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it("stays within its bounds on a long stream", () => {
    const map = new ExpiringMap<number, number>({ maxEntries: 500, maxAgeMs: 50 });
    for (let i = 0; i < 100_000; i++) map.set(i, i, i);
    expect(map.size).toBe(50);
    expect(map.get(99_999, 99_999)).toBe(99_999);
    expect(map.get(99_949, 99_999)).toBeUndefined();
  });

  it("refuses limits that could never hold anything", () => {
    expect(() => new ExpiringMap({ maxEntries: 0, maxAgeMs: 1 })).toThrow(RangeError);
    expect(() => new ExpiringMap({ maxEntries: 1, maxAgeMs: 0 })).toThrow(RangeError);
  });

  it("tells of every entry forgotten for age or room, and evicts the oldest on demand", () => {
    const forgotten: string[] = [];
    const map = new ExpiringMap<string, number>({ maxEntries: 2, maxAgeMs: 100 }, (key, value) => forgotten.push(`${key}=${value}`));
    map.set("a", 1, 0);
    map.set("b", 2, 10);
    map.set("c", 3, 20);
    expect(forgotten).toEqual(["a=1"]);
    expect(map.take("b", 30)).toBe(2);
    expect(map.evictOldest()).toBe(true);
    expect(forgotten).toEqual(["a=1", "c=3"]);
    expect(map.evictOldest()).toBe(false);
    map.set("d", 4, 40);
    expect(map.get("d", 140)).toBeUndefined();
    expect(forgotten).toEqual(["a=1", "c=3", "d=4"]);
    expect(map.evicted).toBe(3);
  });
});
