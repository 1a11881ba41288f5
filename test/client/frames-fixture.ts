/**
 * Recorded-style frame sequences for the smoothing tests: a ball crossing the court at a known
 * speed, bouncing off the bottom wall, sent every tick on the server's clock and received after
 * a fixed latency plus a repeating jitter pattern (no randomness: every run is the same).
 */
import type { TimedFrame } from '../../src/client/smoothing/frames.js';
import { reflect } from '../../src/client/smoothing/sample.js';

export const TICK = 1000 / 60;
/** Server clock − client clock is irrelevant to smoothing; a large one shows it. */
export const SERVER_EPOCH = 1_700_000_000_000;
export const LOCAL_SKEW = 12_345;

export interface Trajectory {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
}

export const CROSSING: Trajectory = { x0: 2.5, y0: 6, dx: 0.25, dy: 0.125 };

/** The true position at server time `t`. */
export function truth(t: number, path: Trajectory = CROSSING): { x: number; y: number } {
  const ticks = (t - SERVER_EPOCH) / TICK;
  return { x: path.x0 + path.dx * ticks, y: reflect(path.y0 + path.dy * ticks, 0.25, 11.75) };
}

/** Frame `seq` of the path, with its velocity as the server would send it (dy flips on a bounce). */
export function frameAt(seq: number, rx: number, path: Trajectory = CROSSING): TimedFrame {
  const ts = SERVER_EPOCH + seq * TICK;
  const here = truth(ts, path);
  const next = truth(ts + TICK, path);
  return { seq, ts, rx, x: here.x, y: here.y, dx: path.dx, dy: next.y - here.y, p1y: 4.5, p2y: 4.5 };
}

/** Latency 30 ms plus a jitter pattern between 0 and 40 ms: the bench's 50 ± 20 ms, rebased. */
const JITTER = [0, 31, 12, 40, 5, 22, 37, 9, 18, 27, 2, 34];

export function recordedArrivals(count: number, latency = 30, jitter: readonly number[] = JITTER): TimedFrame[] {
  const frames: TimedFrame[] = [];
  for (let seq = 0; seq < count; seq++) {
    const ts = SERVER_EPOCH + seq * TICK;
    frames.push(frameAt(seq, ts + LOCAL_SKEW + latency + (jitter[seq % jitter.length] ?? 0)));
  }
  // In arrival order, as the client sees them.
  return frames.sort((a, b) => a.rx - b.rx);
}
