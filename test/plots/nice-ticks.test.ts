/** The live timeline's axes: ticks at round numbers, the axis ending on one. */
import { describe, expect, it } from 'vitest';
import { niceRange, niceTicks } from '../../src/plots/nice-ticks.js';

describe('niceTicks', () => {
  it('ends the axis on a round tick at or past the largest value', () => {
    expect(niceTicks(523, 3)).toEqual({ max: 600, step: 200, values: [0, 200, 400, 600] });
    expect(niceTicks(3.2, 3)).toEqual({ max: 4, step: 2, values: [0, 2, 4] });
    expect(niceTicks(0.7, 3)).toEqual({ max: 1, step: 0.5, values: [0, 0.5, 1] });
    expect(niceTicks(0, 3)).toEqual({ max: 1, step: 0.5, values: [0, 0.5, 1] });
  });

  it('ticks a time window at round seconds', () => {
    expect(niceRange(3.4, 13.4, 10)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(niceRange(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
