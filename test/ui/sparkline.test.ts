import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/ui/sparkline.js';

describe('sparkline', () => {
  it('maps the range of the values onto eight levels', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 20, 10], 10)).toBe('▁█▁');
  });

  it('shows flat series at the bottom and nothing for no values', () => {
    expect(sparkline([3, 3, 3], 5)).toBe('▁▁▁');
    expect(sparkline([], 5)).toBe('');
    expect(sparkline([1, 2], 0)).toBe('');
  });

  it('keeps a spike visible when squeezing many values into few cells', () => {
    const values = [1, 1, 1, 1, 1, 9, 1, 1, 1, 1, 1, 1];
    expect(sparkline(values, 4)).toBe('▁█▁▁');
    expect(sparkline(values, 4)).toHaveLength(4);
  });

  it('ignores values that are not numbers', () => {
    expect(sparkline([1, Number.NaN, 2], 5)).toBe('▁█');
  });
});
