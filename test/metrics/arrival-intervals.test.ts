import { describe, expect, it } from 'vitest';
import { ArrivalIntervals, GAP_MS } from '../../src/metrics/arrival-intervals.js';

describe('ArrivalIntervals', () => {
  it('measures the time between arrivals and counts the gaps, on the receiver\'s clock alone', () => {
    const intervals = new ArrivalIntervals();
    expect(intervals.snapshot()).toEqual(ArrivalIntervals.empty());
    // Nagle's bunches: three frames at once, then 45 ms of nothing, then a 60 ms gap.
    const arrivals = [1000, 1000.2, 1000.4, 1045.4, 1045.5, 1105.5, 1121.5];
    for (const rx of arrivals) intervals.observe(rx);
    const snapshot = intervals.snapshot();
    expect(snapshot.last).toBe(16);
    expect(snapshot.max).toBe(60);
    expect(snapshot.p50).toBeCloseTo(0.2, 2);
    expect(snapshot.gaps).toBe(1);
    expect(GAP_MS).toBe(50);
    intervals.reset();
    expect(intervals.snapshot()).toEqual(ArrivalIntervals.empty());
  });
});
