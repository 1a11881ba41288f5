import { describe, expect, it } from 'vitest';
import { Jitter } from '../../src/metrics/jitter.js';

describe('Jitter (RFC 3550 interarrival)', () => {
  it('follows J += (|D| - J) / 16 over a known sequence', () => {
    const j = new Jitter();
    expect(j.update(10)).toBeNull();
    // First difference seeds J: |12 - 10| = 2.
    expect(j.update(12)).toBe(2);
    // D = |11 - 12| = 1: J = 2 + (1 - 2) / 16.
    expect(j.update(11)).toBeCloseTo(2 - 1 / 16, 12);
    // D = |15 - 11| = 4.
    const expected = 2 - 1 / 16 + (4 - (2 - 1 / 16)) / 16;
    expect(j.update(15)).toBeCloseTo(expected, 12);
    expect(j.value).toBeCloseTo(expected, 12);
  });

  it('is 0 for a constant delay and converges to the step of an alternating one', () => {
    const constant = new Jitter();
    for (let i = 0; i < 50; i++) constant.update(7.5);
    expect(constant.value).toBe(0);
    const alternating = new Jitter();
    for (let i = 0; i < 400; i++) alternating.update(i % 2 === 0 ? 1 : 4);
    expect(alternating.value).toBeCloseTo(3, 6);
  });

  it('skips non-finite values and resets', () => {
    const j = new Jitter();
    j.update(1);
    j.update(Number.NaN);
    expect(j.update(3)).toBe(2);
    j.reset();
    expect(j.value).toBeNull();
    expect(j.update(3)).toBeNull();
  });
});
