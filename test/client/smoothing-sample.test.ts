import { describe, expect, it } from 'vitest';
import { FrameBuffer } from '../../src/client/smoothing/frames.js';
import { extrapolate, isJump, reflect, sampleFrames, type SampleOptions } from '../../src/client/smoothing/sample.js';
import { frameAt, SERVER_EPOCH, TICK } from './frames-fixture.js';

const options: SampleOptions = { tickMs: TICK, maxExtrapolateMs: 3 * TICK, height: 12, radius: 0.25 };

describe('sampleFrames', () => {
  const frames = [0, 1, 2, 3].map((seq) => frameAt(seq, 0));

  it('interpolates between the two frames around the instant', () => {
    const mid = sampleFrames(frames, SERVER_EPOCH + 1.5 * TICK, options);
    expect(mid?.kind).toBe('interpolated');
    expect(mid?.x).toBeCloseTo((frames[1]!.x + frames[2]!.x) / 2, 9);
    expect(mid?.y).toBeCloseTo((frames[1]!.y + frames[2]!.y) / 2, 9);
    expect(mid?.basis).toBe(2);
    // On a frame exactly: that frame.
    expect(sampleFrames(frames, frames[2]!.ts, options)?.x).toBeCloseTo(frames[2]!.x, 9);
  });

  it('extrapolates past the newest frame along its velocity, for at most three frames', () => {
    const newest = frames[3]!;
    const ahead = sampleFrames(frames, newest.ts + 2 * TICK, options);
    expect(ahead).toMatchObject({ kind: 'extrapolated', basis: 3 });
    expect(ahead?.x).toBeCloseTo(newest.x + 2 * newest.dx, 4);
    const far = sampleFrames(frames, newest.ts + 30 * TICK, options);
    expect(far?.x).toBeCloseTo(newest.x + 3 * newest.dx, 4);
  });

  it('bounces an extrapolated ball off the walls as the server would', () => {
    const nearWall = { ...frameAt(0, 0), y: 11.5, dy: 0.5 };
    expect(extrapolate(nearWall, 2 * TICK, options).y).toBeCloseTo(11.75 - 0.75, 9);
    expect(reflect(-1, 0, 10)).toBe(1);
    expect(reflect(23, 0, 10)).toBe(3);
  });

  it('holds a still ball and never interpolates across a serve or a point', () => {
    const still = { ...frameAt(0, 0), dx: 0, dy: 0 };
    expect(extrapolate(still, TICK, options).kind).toBe('held');
    // A point: the ball at the goal, then back in the middle.
    const atGoal = { ...frameAt(10, 0), x: 39.9 };
    const reset = { ...frameAt(11, 0), x: 20, y: 6, dx: 0, dy: 0 };
    expect(isJump(atGoal, reset, TICK)).toBe(true);
    expect(isJump(frames[0]!, frames[1]!, TICK)).toBe(false);
    const between = sampleFrames([atGoal, reset], atGoal.ts + TICK / 2, options);
    expect(between).toMatchObject({ kind: 'held', x: 39.9 });
  });

  it('gives nothing before the first frame, and the first frame before its time', () => {
    expect(sampleFrames([], 0, options)).toBeNull();
    expect(sampleFrames(frames, SERVER_EPOCH - 100, options)).toMatchObject({ kind: 'held', x: frames[0]!.x });
  });
});

describe('FrameBuffer', () => {
  it('keeps frames in send order whatever the arrival order, and drops duplicates', () => {
    const buffer = new FrameBuffer(4);
    for (const seq of [0, 2, 1, 3, 2]) buffer.push(frameAt(seq, seq));
    expect(buffer.all.map((f) => f.seq)).toEqual([0, 1, 2, 3]);
    buffer.push(frameAt(4, 4));
    expect(buffer.all.map((f) => f.seq)).toEqual([1, 2, 3, 4]);
    // Older than everything kept: too late to matter.
    expect(buffer.push(frameAt(0, 5))).toBe(false);
  });
});
