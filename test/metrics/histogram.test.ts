import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/histogram.js';

describe('LatencyHistogram', () => {
  it('is empty until something is recorded', () => {
    const h = new LatencyHistogram();
    expect([h.count, h.min, h.max, h.mean, h.percentile(50)]).toEqual([0, null, null, null, null]);
  });

  it('gives the percentiles of a known set', () => {
    const h = new LatencyHistogram();
    // 1..100 ms, shuffled: the p-th percentile of this set is p ms.
    const values = Array.from({ length: 100 }, (_, i) => i + 1).sort((a, b) => ((a * 37) % 101) - ((b * 37) % 101));
    for (const v of values) h.record(v);
    expect(h.count).toBe(100);
    expect(h.min).toBe(1);
    expect(h.max).toBe(100);
    expect(h.mean).toBeCloseTo(50.5, 9);
    // Within 0.1% above 2.048 ms.
    expect(h.percentile(50)).toBeCloseTo(50, 1);
    expect(h.percentile(95)).toBeCloseTo(95, 1);
    expect(h.percentile(99)).toBeCloseTo(99, 1);
    expect(h.percentile(100)).toBe(100);
    expect(h.percentile(0)).toBe(1);
  });

  it('is exact to the microsecond for sub-2-ms latencies', () => {
    const h = new LatencyHistogram();
    for (const v of [0.301, 0.354, 0.49, 0.56, 0.859, 1.062, 1.149, 1.322, 1.724, 2.001]) h.record(v);
    expect(h.percentile(50)).toBe(0.859);
    expect(h.percentile(10)).toBe(0.301);
    expect(h.percentile(90)).toBe(1.724);
    expect(h.percentile(100)).toBe(2.001);
  });

  it('records negative values as 0 and counts them', () => {
    const h = new LatencyHistogram();
    h.record(-0.5);
    h.record(-3);
    h.record(2);
    expect(h.count).toBe(3);
    expect(h.negativeCount).toBe(2);
    expect(h.min).toBe(0);
    expect(h.mean).toBeCloseTo(2 / 3, 9);
    expect(h.percentile(50)).toBe(0);
  });

  it('ignores non-finite values and clamps huge ones to its range', () => {
    const h = new LatencyHistogram({ highestMs: 1000 });
    h.record(Number.NaN);
    h.record(Number.POSITIVE_INFINITY);
    expect(h.count).toBe(0);
    h.record(1e12);
    expect(h.count).toBe(1);
    expect(h.max).toBe(1000);
    expect(h.percentile(99)).toBe(1000);
  });

  it('resets', () => {
    const h = new LatencyHistogram();
    h.record(-1);
    h.record(5);
    h.reset();
    expect([h.count, h.negativeCount, h.min, h.max, h.percentile(99)]).toEqual([0, 0, null, null, null]);
    h.record(3);
    expect([h.min, h.max]).toEqual([3, 3]);
  });
});

describe('LatencyHistogram percentiles against the exact ones', () => {
  /** The exact p-th percentile by the histogram's rank rule: the value at rank round(p% of n), at least 1. */
  const exact = (sorted: number[], p: number) => sorted[Math.max(1, Math.floor((p / 100) * sorted.length + 0.5)) - 1]!;

  it('stays within 1 µs below 2.048 ms and 0.1% above, over six decades', () => {
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let run = 0; run < 20; run++) {
      const h = new LatencyHistogram();
      // Log-uniform from 1 µs to 60 s, rounded to the microsecond as the histogram counts them.
      const values = Array.from({ length: 500 + run * 97 }, () => Math.round(10 ** (random() * 7.77 - 3) * 1000) / 1000);
      for (const v of values) h.record(v);
      const sorted = [...values].sort((a, b) => a - b);
      const ps = [0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9];
      const together = h.percentiles(ps);
      ps.forEach((p, i) => {
        const want = exact(sorted, p);
        const got = h.percentile(p)!;
        expect(together[i]).toBe(got);
        expect(got).toBeGreaterThanOrEqual(want);
        expect(got - want).toBeLessThanOrEqual(Math.max(0.001, want / 1024) + 1e-9);
      });
      expect(h.percentile(0)).toBe(sorted[0]);
      expect(h.percentile(100)).toBe(sorted.at(-1));
    }
  });

  it('answers percentiles asked in any order, and nulls when empty', () => {
    const h = new LatencyHistogram();
    expect(h.percentiles([50, 99])).toEqual([null, null]);
    for (const v of [0.5, 0.1, 0.3, 0.2, 0.4]) h.record(v);
    expect(h.percentiles([99, 0, 50, 20])).toEqual([0.5, 0.1, 0.3, 0.1]);
  });
});
