/**
 * Where the ball (and the paddles) were at a given instant of the server's timeline, from the
 * buffered frames: linear interpolation between the two frames around it, or, past the newest
 * frame, extrapolation along its velocity (bouncing off the walls as the server would) for at
 * most `maxExtrapolateMs`, after which the ball waits rather than flying through a paddle.
 */
import type { TimedFrame } from './frames.js';

export type SampleKind = 'interpolated' | 'extrapolated' | 'held';

export interface BallSample {
  x: number;
  y: number;
  p1y?: number | undefined;
  p2y?: number | undefined;
  kind: SampleKind;
  /** Seq of the newest frame the sample used. */
  basis: number;
}

export interface SampleOptions {
  /** Server tick period: dx and dy are per tick. */
  tickMs: number;
  maxExtrapolateMs: number;
  /** Court height and ball radius: where extrapolation bounces. */
  height: number;
  radius: number;
}

/** Folds y back into [lo, hi] as repeated reflections off both walls would. */
export function reflect(y: number, lo: number, hi: number): number {
  const span = hi - lo;
  if (!(span > 0)) return lo;
  const period = 2 * span;
  const m = (((y - lo) % period) + period) % period;
  return lo + (m <= span ? m : period - m);
}

const lerp = (a: number, b: number, f: number): number => a + (b - a) * f;
const lerpOptional = (a: number | undefined, b: number | undefined, f: number): number | undefined =>
  a !== undefined && b !== undefined ? lerp(a, b, f) : (b ?? a);

/**
 * A serve or a point puts the ball back in the middle: drawing the path between would sweep a
 * phantom ball across the court. Anything farther than both velocities could carry it is a jump.
 */
export function isJump(a: TimedFrame, b: TimedFrame, tickMs: number): boolean {
  const ticks = Math.max(1, (b.ts - a.ts) / tickMs);
  const reach = (Math.hypot(a.dx, a.dy) + Math.hypot(b.dx, b.dy)) * ticks + 1;
  return Math.hypot(b.x - a.x, b.y - a.y) > reach;
}

export function extrapolate(frame: TimedFrame, ms: number, options: SampleOptions): BallSample {
  const ticks = Math.max(0, Math.min(ms, options.maxExtrapolateMs)) / options.tickMs;
  const moving = frame.dx !== 0 || frame.dy !== 0;
  return {
    x: frame.x + frame.dx * ticks,
    y: reflect(frame.y + frame.dy * ticks, options.radius, options.height - options.radius),
    p1y: frame.p1y,
    p2y: frame.p2y,
    kind: moving && ticks > 0 ? 'extrapolated' : 'held',
    basis: frame.seq,
  };
}

/** `frames` in send order, as FrameBuffer keeps them; `t` on the server's clock. */
export function sampleFrames(frames: readonly TimedFrame[], t: number, options: SampleOptions): BallSample | null {
  const last = frames[frames.length - 1];
  if (last === undefined) return null;
  if (t >= last.ts) return extrapolate(last, t - last.ts, options);
  let i = frames.length - 2;
  while (i >= 0 && frames[i]!.ts > t) i--;
  if (i < 0) {
    const first = frames[0]!;
    return { x: first.x, y: first.y, p1y: first.p1y, p2y: first.p2y, kind: 'held', basis: first.seq };
  }
  const a = frames[i]!;
  const b = frames[i + 1]!;
  if (isJump(a, b, options.tickMs)) {
    return { x: a.x, y: a.y, p1y: a.p1y, p2y: a.p2y, kind: 'held', basis: a.seq };
  }
  const f = (t - a.ts) / (b.ts - a.ts);
  return {
    x: lerp(a.x, b.x, f),
    y: lerp(a.y, b.y, f),
    p1y: lerpOptional(a.p1y, b.p1y, f),
    p2y: lerpOptional(a.p2y, b.p2y, f),
    kind: 'interpolated',
    basis: b.seq,
  };
}
