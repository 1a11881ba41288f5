import { describe, expect, it } from 'vitest';
import { absorbError, decayOffset, NO_OFFSET } from '../../src/client/smoothing/correction.js';
import { advancePlayhead } from '../../src/client/smoothing/playhead.js';
import { DEFAULT_DELAY, playoutDelayMs, TransitTracker } from '../../src/client/smoothing/playout-delay.js';

describe('playout delay', () => {
  it('is a frame and a half on a quiet network and grows with jitter, within bounds', () => {
    expect(playoutDelayMs(0)).toBeCloseTo(25, 5);
    expect(playoutDelayMs(10)).toBeCloseTo(45, 5);
    expect(playoutDelayMs(500)).toBe(DEFAULT_DELAY.maxMs);
    expect(playoutDelayMs(0, { ...DEFAULT_DELAY, periods: 0 })).toBe(DEFAULT_DELAY.minMs);
  });

  it('tracks the smallest transit over a sliding window, and RFC 3550 jitter', () => {
    const tracker = new TransitTracker(1000);
    expect(tracker.base).toBeNull();
    tracker.observe(0, 50);
    tracker.observe(16, 96); // transit 80
    tracker.observe(33, 73); // transit 40
    expect(tracker.base).toBe(40);
    // |80 − 50| / 16, then + (|40 − 80| − that) / 16.
    const j1 = 30 / 16;
    expect(tracker.jitter).toBeCloseTo(j1 + (40 - j1) / 16, 9);
    // A second later the 40 has left the window: the route got slower.
    tracker.observe(1100, 1160);
    expect(tracker.base).toBe(60);
  });
});

describe('playhead', () => {
  it('runs with the clock and steers towards its target by at most 10%', () => {
    expect(advancePlayhead(null, 500, 16)).toBe(500);
    expect(advancePlayhead(1000, 1016, 16)).toBe(1016);
    // 50 ms behind: catches up 1.6 ms per 16 ms frame, never a jump.
    expect(advancePlayhead(1000, 1066, 16)).toBeCloseTo(1017.6, 9);
    expect(advancePlayhead(1000, 966, 16)).toBeCloseTo(1014.4, 9);
    // A pause or reconnect: too far to glide.
    expect(advancePlayhead(1000, 2000, 16)).toBe(2000);
  });
});

describe('correction offset', () => {
  it('absorbs an error, halves every 50 ms, and vanishes', () => {
    const offset = absorbError(NO_OFFSET, { x: 0.8, y: -0.4 });
    expect(offset).toEqual({ x: 0.8, y: -0.4 });
    const later = decayOffset(offset, 50);
    expect(later.x).toBeCloseTo(0.4, 9);
    expect(later.y).toBeCloseTo(-0.2, 9);
    expect(decayOffset(offset, 1000)).toBe(NO_OFFSET);
  });

  it('lets a jump too big for a wrong guess (a point) show at once', () => {
    expect(absorbError({ x: 1, y: 0 }, { x: 4, y: 0 })).toBe(NO_OFFSET);
  });
});
