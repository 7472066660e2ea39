import { describe, expect, it } from "vitest";
import { Backoff, backoffDelay } from "../../shared/backoff.ts";

const POLICY = { baseMs: 100, capMs: 1_000 };

describe("backoffDelay", () => {
  it("doubles the ceiling with every attempt, up to the cap", () => {
    const ceiling = (attempt: number): number => backoffDelay(attempt, POLICY, () => 1);
    expect([0, 1, 2, 3, 4, 5, 50].map(ceiling)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("draws the delay uniformly between half the ceiling and the ceiling (equal jitter)", () => {
    expect(backoffDelay(3, POLICY, () => 0)).toBe(400);
    expect(backoffDelay(3, POLICY, () => 0.5)).toBe(600);
    expect(backoffDelay(3, POLICY, () => 0.999)).toBe(800);
    const delays = Array.from({ length: 200 }, () => backoffDelay(2, POLICY));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
    expect(new Set(delays).size).toBeGreaterThan(20);
  });
});

describe("Backoff", () => {
  it("grows with each retry of a connection and starts short again once it is up", () => {
    const backoff = new Backoff(POLICY, () => 0);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 100, 200, 400, 500]);
    backoff.reset();
    expect(backoff.next()).toBe(50);
  });
});
