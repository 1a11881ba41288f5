import { describe, expect, it } from 'vitest';
import { BallSmoother } from '../../src/client/smoothing/ball-smoother.js';
import type { TimedFrame } from '../../src/client/smoothing/frames.js';
import { CROSSING, frameAt, LOCAL_SKEW, recordedArrivals, SERVER_EPOCH, TICK, truth } from './frames-fixture.js';

/**
 * Replays arrivals against 60 fps display frames: pushes each frame at its receive time and
 * samples at every display instant. Returns what was drawn, with the instant drawn.
 */
function replay(arrivals: readonly TimedFrame[], smoother: BallSmoother, from: number, until: number) {
  const drawn: Array<{ now: number; x: number; y: number; kind: string; at: number }> = [];
  let next = 0;
  for (let now = from; now <= until; now += TICK) {
    while (next < arrivals.length && arrivals[next]!.rx <= now) smoother.push(arrivals[next++]!);
    const ball = smoother.sample(now);
    if (ball) drawn.push({ now, ...ball });
  }
  return drawn;
}

/** The same frames drawn raw: the newest received, at every display instant. */
function replayRaw(arrivals: readonly TimedFrame[], from: number, until: number) {
  const drawn: Array<{ now: number; x: number; y: number }> = [];
  let next = 0;
  let newest: TimedFrame | null = null;
  for (let now = from; now <= until; now += TICK) {
    while (next < arrivals.length && arrivals[next]!.rx <= now) {
      const f = arrivals[next++]!;
      if (newest === null || f.seq > newest.seq) newest = f;
    }
    if (newest) drawn.push({ now, x: newest.x, y: newest.y });
  }
  return drawn;
}

const start = SERVER_EPOCH + LOCAL_SKEW;

describe('BallSmoother on a jittery recording (30 ms + 0–40 ms)', () => {
  const arrivals = recordedArrivals(120);
  const smoother = new BallSmoother();
  const drawn = replay(arrivals, smoother, start, start + 120 * TICK);
  const settled = drawn.slice(30);

  it('sets its delay from the jitter, and interpolates once settled', () => {
    expect(smoother.jitterMs).toBeGreaterThan(10);
    expect(smoother.delayMs).toBeGreaterThan(40);
    expect(smoother.delayMs).toBeLessThanOrEqual(150);
    const interpolated = settled.filter((d) => d.kind === 'interpolated').length;
    expect(interpolated / settled.length).toBeGreaterThan(0.95);
  });

  it('draws the true path at the instant it says it draws, to within a hundredth of a unit', () => {
    for (const d of settled) {
      const t = truth(d.at);
      // Interpolating straight across a bounce cuts its corner by at most a tick's dy.
      expect(Math.hypot(d.x - t.x, d.y - t.y)).toBeLessThanOrEqual(CROSSING.dy);
    }
    const mean = settled.reduce((sum, d) => sum + Math.abs(d.x - truth(d.at).x), 0) / settled.length;
    expect(mean).toBeLessThan(0.01);
  });

  it('moves evenly: every display frame advances the ball about one tick of motion', () => {
    const steps = settled.slice(1).map((d, i) => d.x - settled[i]!.x);
    // The playhead changes pace by at most 10% while the delay adapts.
    for (const step of steps) expect(step).toBeGreaterThan(CROSSING.dx * 0.89);
    for (const step of steps) expect(step).toBeLessThan(CROSSING.dx * 1.11);
    // Raw frames under the same jitter stall and leap.
    const raw = replayRaw(arrivals, start, start + 120 * TICK).slice(30);
    const rawSteps = raw.slice(1).map((d, i) => d.x - raw[i]!.x);
    expect(Math.min(...rawSteps)).toBe(0);
    expect(Math.max(...rawSteps)).toBeGreaterThan(2 * CROSSING.dx);
  });
});

describe('BallSmoother when frames stop and resume', () => {
  it('extrapolates briefly, waits, then blends the error out without a jump', () => {
    // Steady frames, then 8 frames lost (a stall of 133 ms), then steady again; while it was
    // missing the ball turned (a paddle hit): the extrapolation was wrong.
    const arrivals: TimedFrame[] = [];
    for (let seq = 0; seq < 90; seq++) {
      if (seq >= 40 && seq < 48) continue;
      const f = frameAt(seq, SERVER_EPOCH + seq * TICK + LOCAL_SKEW + 30);
      arrivals.push(seq >= 44 ? { ...f, x: f.x - (seq - 44) * 2 * CROSSING.dx, dx: -CROSSING.dx } : f);
    }
    const smoother = new BallSmoother();
    const drawn = replay(arrivals, smoother, start, start + 90 * TICK);
    expect(drawn.some((d) => d.kind === 'extrapolated')).toBe(true);
    const steps = drawn.slice(1).map((d, i) => Math.hypot(d.x - drawn[i]!.x, d.y - drawn[i]!.y));
    // No display frame moves the ball farther than the fastest ball moves in a tick (1.25).
    expect(Math.max(...steps)).toBeLessThan(1.25);
    // And it ends on the true (turned) path.
    const last = drawn.at(-1)!;
    const lastFrame = arrivals.at(-1)!;
    expect(Math.abs(last.x - (lastFrame.x - ((last.at - lastFrame.ts) / TICK) * CROSSING.dx))).toBeLessThan(0.05);
  });

  it('snaps when the ball is put back in the middle after a point', () => {
    const arrivals: TimedFrame[] = [];
    for (let seq = 0; seq < 60; seq++) {
      const f = frameAt(seq, SERVER_EPOCH + seq * TICK + LOCAL_SKEW + 30);
      arrivals.push(seq >= 30 ? { ...f, x: 20, y: 6, dx: 0, dy: 0 } : f);
    }
    const drawn = replay(arrivals, new BallSmoother(), start, start + 60 * TICK);
    expect(drawn.at(-1)).toMatchObject({ x: 20, y: 6 });
    // Never drawn between the goal side and the middle: it jumps, it does not fly back.
    const crossing = drawn.filter((d) => d.x > 20.5 && d.x < 26);
    expect(crossing.every((d) => d.at < SERVER_EPOCH + 30 * TICK)).toBe(true);
  });
});
