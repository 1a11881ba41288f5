/**
 * The machine-pause probe on a clock whose gaps are known, and once on the real clock: every
 * gap over the threshold is a pause, shorter ones are the loop's own work.
 */
import { describe, expect, it } from 'vitest';
import { measurePauses, PAUSE_THRESHOLD_MS } from '../../src/bench/machine-pauses.js';
import { pausesLine } from '../../src/bench/report.js';

function scriptedClock(times: number[]): () => number {
  let i = 0;
  return () => {
    const t = times[Math.min(i, times.length - 1)]!;
    i += 1;
    return t;
  };
}

describe('measurePauses', () => {
  it('counts the gaps over the threshold, their total and the longest', () => {
    // Gaps: 0.1, 0.1, 2.5, 0.1, 6, 0.2, exactly the threshold (not a pause), then 0.5 to the end.
    const clock = scriptedClock([0, 0.1, 0.2, 2.7, 2.8, 8.8, 9.0, 9.0 + PAUSE_THRESHOLD_MS, 10.5]);
    expect(measurePauses(10.5, clock, 0)).toEqual({ probeMs: 10.5, pauses: 2, pausedMs: 8.5, pausedPct: 80.952, longestMs: 6 });
  });

  it('does not count what happens while it warms up', () => {
    // 5 ms gaps during the 10 ms warm-up; then 2.9 and 7.5 ms in the window.
    const clock = scriptedClock([0, 5, 10, 10.1, 13, 20.5]);
    expect(measurePauses(10, clock, 10)).toEqual({ probeMs: 10.5, pauses: 2, pausedMs: 10.4, pausedPct: 99.048, longestMs: 7.5 });
  });

  it('reports no pauses for a clock that never jumps', () => {
    const times = Array.from({ length: 101 }, (_, i) => i * 0.05);
    expect(measurePauses(5, scriptedClock(times), 0)).toEqual({ probeMs: 5, pauses: 0, pausedMs: 0, pausedPct: 0, longestMs: 0 });
  });

  it('runs for the time asked on the real clock, and its figures are consistent', () => {
    const result = measurePauses(50);
    expect(result.probeMs).toBeGreaterThanOrEqual(50);
    expect(result.pausedPct).toBeGreaterThanOrEqual(0);
    expect(result.pausedPct).toBeLessThanOrEqual(100);
    expect(result.longestMs).toBeLessThanOrEqual(result.pausedMs);
    expect(result.pausedMs).toBeLessThanOrEqual(result.probeMs);
  });

  it('is stated in the report header as a share of the probe, with the count and the longest', () => {
    expect(pausesLine({ probeMs: 3000.2, pauses: 14, pausedMs: 57.3, pausedPct: 1.91, longestMs: 36.84 })).toBe(
      'machine paused 1.9% of a 3 s probe (14 pauses over 1 ms, longest 36.8 ms)',
    );
  });
});
