import { describe, expect, it } from "vitest";
import { median, medianOf, percentile, ratio } from "../../bench/stats.ts";

describe("bench stats", () => {
  it("median takes the middle value, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it("median does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("percentile uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([5, 1], 50)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it("ratio is NaN when there is nothing to compare with", () => {
    expect(ratio(450, 500)).toBeCloseTo(0.9);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
    expect(ratio(1, Number.POSITIVE_INFINITY)).toBeNaN();
  });

  it("medianOf takes each field's median across rounds", () => {
    const rounds = [
      { rps: 100, p99: 30 },
      { rps: 300, p99: 10 },
      { rps: 200, p99: 20 },
    ];
    expect(medianOf(rounds, ["rps", "p99"])).toEqual({ rps: 200, p99: 20 });
  });
});
