import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/protocol/validate.js';
import { ballFrame, ballFrameText } from '../../src/game/wire.js';
import { inPlay } from './helpers.js';

describe('ballFrameText', () => {
  const cases = [
    { ball: { x: 20.123456, y: 6.25, dx: 0.51234567, dy: -0.25 }, paddles: { p1: 4.5, p2: 3.0004 } },
    { ball: { x: 0, y: -0, dx: -0.00001, dy: 1e-7 }, paddles: { p1: 0, p2: 9.9999 } },
    { ball: { x: 39.9995, y: 11.0001, dx: -1.2, dy: 0.3333333 }, paddles: { p1: 8, p2: 0.0004 } },
  ];

  it('is the text JSON.stringify writes for the same frame, field for field and in the same order', () => {
    for (const [i, { ball, paddles }] of cases.entries()) {
      const state = inPlay(ball, paddles);
      const timestamp = 1_795_321_783_610.1234 + i;
      expect(ballFrameText(state, 788 + i, () => timestamp)).toBe(JSON.stringify(ballFrame(state, 788 + i, timestamp)));
    }
  });

  it('reads the clock after everything else, once', () => {
    const state = inPlay(cases[0]!.ball, cases[0]!.paddles);
    let reads = 0;
    const text = ballFrameText(state, 1, () => {
      reads += 1;
      return 1000.5;
    });
    expect(reads).toBe(1);
    const decoded = decodePayload('ball', text);
    expect(decoded.ok && decoded.value.timestamp).toBe(1000.5);
  });

  it('never writes NaN or Infinity, which are not JSON', () => {
    const state = inPlay({ x: Number.NaN, y: 6, dx: Number.POSITIVE_INFINITY, dy: 0 }, { p1: 4, p2: 4 });
    const text = ballFrameText(state, 1, () => 5);
    expect(() => JSON.parse(text)).not.toThrow();
    expect(JSON.parse(text)).toMatchObject({ x: null, dx: null, timestamp: 5 });
  });
});
