import { describe, expect, it } from 'vitest';
import { round } from '../../src/game/wire.js';
import { decimalText } from '../../src/protocol/decimal-text.js';

/** What the ball frame wrote before: JSON of the number rounded by the wire's own rule. */
function reference(value: number, decimals: 0 | 1 | 2 | 3 | 4 | 5 | 6): string {
  return JSON.stringify(round(value, decimals)) ?? 'null';
}

describe('decimalText', () => {
  it('writes what JSON.stringify writes for the rounded number, on court values, speeds and epoch timestamps', () => {
    // A fixed generator, so a failure names a value that can be tried again.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const mismatches: string[] = [];
    const check = (value: number, decimals: 0 | 1 | 2 | 3 | 4 | 5 | 6) => {
      const got = decimalText(value, decimals);
      const want = reference(value, decimals);
      if (got !== want && mismatches.length < 5) mismatches.push(`${value} to ${decimals}: ${got}, not ${want}`);
    };
    for (let i = 0; i < 20_000; i++) {
      check((random() - 0.25) * 50, 3);
      check((random() - 0.5) * 3, 4);
      check(1_795_321_783_610 + random() * 1e8, 3);
      check((random() - 0.5) * 1e-3, 4);
      check(Math.round(random() * 40_000) / 1000, 3);
      check((random() - 0.5) * 1e6, (i % 7) as 0 | 1 | 2 | 3 | 4 | 5 | 6);
    }
    expect(mismatches).toEqual([]);
  });

  it('writes the edges as JSON does: zero and minus zero as 0, whole numbers without a point, leading zeros kept', () => {
    expect(decimalText(0, 3)).toBe('0');
    expect(decimalText(-0, 3)).toBe('0');
    expect(decimalText(-0.0004, 3)).toBe('0');
    expect(decimalText(4.5, 3)).toBe('4.5');
    expect(decimalText(9, 3)).toBe('9');
    expect(decimalText(-1.2, 4)).toBe('-1.2');
    expect(decimalText(0.0005, 3)).toBe('0.001');
    expect(decimalText(3.0004, 3)).toBe('3');
    expect(decimalText(0.05, 4)).toBe('0.05');
    expect(decimalText(-0.0625, 4)).toBe('-0.0625');
    expect(decimalText(1e300, 3)).toBe(reference(1e300, 3));
  });

  it('writes null for NaN and the infinities, which are not JSON', () => {
    expect(decimalText(Number.NaN, 3)).toBe('null');
    expect(decimalText(Number.POSITIVE_INFINITY, 3)).toBe('null');
    expect(decimalText(Number.NEGATIVE_INFINITY, 4)).toBe('null');
  });
});
