import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/transports/framed/backoff.js';

describe('reconnect backoff', () => {
  const options = { baseMs: 250, maxMs: 5_000 };

  it('doubles from the base up to the cap', () => {
    const highest = (attempt: number) => backoffDelay(attempt, options, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 40].map(highest)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('keeps at least half of each step, so jitter never turns into a tight loop', () => {
    const lowest = (attempt: number) => backoffDelay(attempt, options, () => 0);
    expect([0, 1, 4, 10].map(lowest)).toEqual([125, 250, 2000, 2500]);
    expect(backoffDelay(3, options, () => 0.5)).toBe(1500);
  });
});
