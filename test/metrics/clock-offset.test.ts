import { describe, expect, it } from 'vitest';
import { ClockOffsetEstimator } from '../../src/metrics/clock-offset.js';

/** Deterministic exponential-ish noise: most legs fast, a long tail of queueing delay. */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    const u = s / 2147483647;
    return -Math.log(1 - u * 0.999);
  };
}

describe('ClockOffsetEstimator', () => {
  it('has no estimate before the first sample', () => {
    expect(new ClockOffsetEstimator().offset).toBeNull();
  });

  it('is exact for symmetric exchanges', () => {
    const c = new ClockOffsetEstimator();
    // Client 250 ms ahead; 1 ms each way.
    c.add(1000, 1001 + 250, 1002);
    expect(c.offset).toBe(250);
  });

  it('recovers a known offset under asymmetric noise by trusting the fastest round trips', () => {
    const trueOffset = -1234.5;
    const rand = noise(42);
    const c = new ClockOffsetEstimator({ window: 256, fastest: 8 });
    let naiveSum = 0;
    for (let i = 0; i < 256; i++) {
      const t0 = 1e12 + i * 16.667;
      // Uplink (client → server) suffers far more queueing than the downlink.
      const down = 0.3 + 0.2 * rand();
      const up = 0.3 + 6 * rand();
      const rx = t0 + down + trueOffset;
      const t3 = t0 + down + up;
      c.add(t0, rx, t3);
      naiveSum += rx - (t0 + t3) / 2;
    }
    const naiveMean = naiveSum / 256;
    // Averaging every sample is biased by half the mean asymmetry (about 1.4 ms here)...
    expect(Math.abs(naiveMean - trueOffset)).toBeGreaterThan(1);
    // ...the fastest samples bound the error by half their (small) asymmetry.
    expect(Math.abs(c.offset! - trueOffset)).toBeLessThan(0.4);
  });

  it('follows a changed offset once old samples leave the window', () => {
    const c = new ClockOffsetEstimator({ window: 32, fastest: 4 });
    for (let i = 0; i < 32; i++) c.add(i * 10, i * 10 + 0.5 + 100, i * 10 + 1);
    expect(c.offset).toBe(100);
    for (let i = 32; i < 64; i++) c.add(i * 10, i * 10 + 1 + 200, i * 10 + 2);
    expect(c.offset).toBe(200);
  });

  it('ignores samples with a negative or non-finite round trip', () => {
    const c = new ClockOffsetEstimator();
    c.add(1000, 5, 900);
    c.add(1000, Number.NaN, 1001);
    expect(c.samples).toBe(0);
    expect(c.offset).toBeNull();
  });
});
