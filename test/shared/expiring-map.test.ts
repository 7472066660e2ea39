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

  describe("snapshot", () => {
    const read = <K, V>(snapshot: { next(): { key: K; value: V; since: number } | undefined }) => {
      const entries: Array<{ key: K; value: V; since: number }> = [];
      for (let entry = snapshot.next(); entry !== undefined; entry = snapshot.next()) entries.push(entry);
      return entries;
    };

    it("reads the entries of its instant, oldest first, whatever is set, replaced, taken or evicted between reads", () => {
      const map = new ExpiringMap<string, number>({ maxEntries: 6, maxAgeMs: 1_000 });
      for (let i = 0; i < 6; i++) map.set(`k${i}`, i, i);
      const expected = map.entries();
      const snapshot = map.snapshot();
      expect(snapshot.size).toBe(6);
      expect(snapshot.next()).toEqual({ key: "k0", value: 0, since: 0 });
      map.set("k3", 33, 10); // replaced before it was read
      map.take("k4", 10); // taken before it was read
      map.set("k1", 11, 10); // replaced while the reader has it next
      map.set("new", 99, 10); // evicts k0 (read already); never part of the snapshot
      map.set("k4", 44, 10); // taken and set again: a new entry
      map.take("k0", 10);
      expect(snapshot.next()).toEqual({ key: "k1", value: 1, since: 1 });
      map.get("k2", 1_002); // by age: expires k1 (read) and k2 (not read yet)
      expect(read(snapshot)).toEqual(expected.slice(2));
      expect(map.entries().map((e) => e.key)).toEqual(["k3", "k5", "new", "k4"]);
    });

    it("stops keeping entries once read or released, and reads nothing of an empty map", () => {
      const map = new ExpiringMap<string, number>({ maxEntries: 10, maxAgeMs: 1_000 });
      expect(map.snapshot().next()).toBeUndefined();
      map.set("a", 1, 0);
      map.set("b", 2, 0);
      const released = map.snapshot();
      released.release();
      map.set("a", 10, 1);
      // A released snapshot was not told: it reads the map as it is now.
      expect(released.next()).toEqual({ key: "a", value: 10, since: 0 });
      const whole = map.snapshot();
      expect(read(whole)).toEqual([
        { key: "a", value: 10, since: 0 },
        { key: "b", value: 2, since: 0 },
      ]);
      map.take("a", 2);
      expect(whole.next()).toBeUndefined();
    });
  });
});
