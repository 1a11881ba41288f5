import { describe, expect, it } from 'vitest';
import { FrameStream } from '../../src/bench/render/frame-stream.js';
import { drawRate, keyToScreen } from '../../src/bench/render/render-bench.js';
import { renderCourtRuns } from '../../src/ui/court.js';
import { CourtPainter } from '../../src/ui/court-painter.js';
import { BSU, ESU } from '../../src/ui/terminal-out.js';

const COLS = 60;
const ROWS = 12;

/** What the court layer writes for one display frame: only the rows that changed, by cursor moves. */
function courtFrames() {
  const painter = new CourtPainter();
  return (ball: { x: number; y: number }, p1: number, p2: number): Buffer => {
    const lines = renderCourtRuns(ball, { p1, p2 }, COLS - 2, ROWS - 2).map((runs) => runs.map((run) => run.text).join(''));
    return Buffer.from(BSU + painter.paint(lines, 1, 0) + ESU);
  };
}

/** The frames a view draws, one per [ball x, ball y, left paddle, time ms], read back from the screen. */
function framesOf(steps: Array<[x: number, y: number, p1: number, at: number]>) {
  const frame = courtFrames();
  const stream = new FrameStream(COLS, ROWS + 2);
  for (const [x, y, p1, at] of steps) stream.push(frame({ x, y }, p1, 4), at);
  return stream.frames;
}

describe('render bench frames', () => {
  it('reads the left paddle from the screen, not from the rows a frame happened to repaint', () => {
    const [first, second, third, moved] = framesOf([
      [20, 6, 4, 0],
      // The ball moves across rows; the paddle does not: every frame repaints other rows.
      [22, 3, 4, 16],
      [24, 9, 4, 33],
      // The paddle moves up.
      [26, 9, 2, 50],
    ]);
    expect(first!.leftPaddle).toMatch(/█/);
    expect(second!.leftPaddle).toBe(first!.leftPaddle);
    expect(third!.leftPaddle).toBe(first!.leftPaddle);
    expect(moved!.leftPaddle).not.toBe(first!.leftPaddle);
    // A diff frame is a few rows, not the court.
    expect(second!.bytes).toBeLessThan(first!.bytes);
  });

  it('key-to-screen is the time from the key to the first frame showing the paddle moved', () => {
    const frames = framesOf([
      [20, 6, 4, 0],
      [22, 3, 4, 16],
      [24, 9, 4, 33],
      [26, 9, 3, 50],
      [28, 8, 3, 66],
    ]);
    const latency = keyToScreen(frames, [20]);
    expect(latency.count).toBe(1);
    expect(latency.max).toBe(30);
  });
});

describe('drawRate', () => {
  it('counts frames over the time something moved, leaving out pauses with no frame', () => {
    // 1 s window: 0.5 s of 60 fps, a 400 ms wait for a serve, then 0.1 s of 60 fps.
    const frames: number[] = [];
    for (let t = 10; t < 500; t += 1000 / 60) frames.push(t);
    for (let t = 900; t < 1000; t += 1000 / 60) frames.push(t);
    const rate = drawRate(frames, 0, 1000);
    expect(rate.pausedMs).toBeGreaterThan(390);
    expect(rate.pausedMs).toBeLessThan(430);
    expect(rate.perSecond).toBeGreaterThan(58);
    expect(rate.perSecond).toBeLessThan(64);
  });

  it('does not hide a slow view: frames 200 ms apart are motion, at 5 per second', () => {
    const frames = [100, 300, 500, 700, 900];
    const rate = drawRate(frames, 0, 1000);
    expect(rate.pausedMs).toBe(0);
    expect(rate.perSecond).toBe(5);
  });
});
