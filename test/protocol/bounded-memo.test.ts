import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/protocol/bounded-memo.js';

describe('BoundedMemo', () => {
  it('computes an answer once per key, null answers included', () => {
    const asked: string[] = [];
    const memo = new BoundedMemo<string, number | null>(10, (key) => {
      asked.push(key);
      return key === 'none' ? null : key.length;
    });
    expect([memo.get('abc'), memo.get('abc'), memo.get('none'), memo.get('none')]).toEqual([3, 3, null, null]);
    expect(asked).toEqual(['abc', 'none']);
  });

  it('forgets everything when full, and after clear', () => {
    const asked: number[] = [];
    const memo = new BoundedMemo<number, number>(3, (key) => {
      asked.push(key);
      return key * 2;
    });
    for (const key of [1, 2, 3, 1]) memo.get(key);
    expect(asked).toEqual([1, 2, 3]);
    memo.get(4); // full: the three are forgotten
    memo.get(1);
    expect(asked).toEqual([1, 2, 3, 4, 1]);
    memo.clear();
    expect(memo.get(4)).toBe(8);
    expect(asked).toEqual([1, 2, 3, 4, 1, 4]);
  });
});
