/**
 * A ball frame as the smoothing layer keeps it: the server's send time next to the local
 * receive time, because interpolation runs on the server's evenly spaced timeline while the
 * network decides when each frame actually shows up.
 */
import type { BallMessage } from '../../protocol/messages.js';

export interface TimedFrame {
  seq: number;
  /** Server send time (server clock, epoch ms). */
  ts: number;
  /** Local receive time (local clock, epoch ms). */
  rx: number;
  x: number;
  y: number;
  /** Court units per server tick. */
  dx: number;
  dy: number;
  p1y?: number | undefined;
  p2y?: number | undefined;
}

export function timedFrame(ball: BallMessage, rx: number): TimedFrame {
  return { seq: ball.seq, ts: ball.timestamp, rx, x: ball.x, y: ball.y, dx: ball.dx, dy: ball.dy, p1y: ball.p1y, p2y: ball.p2y };
}

/**
 * The last few frames in send order. Unordered transports (WebRTC) may deliver out of order;
 * a late frame is slotted in by timestamp, a duplicate or one older than the window dropped.
 */
export class FrameBuffer {
  private frames: TimedFrame[] = [];

  constructor(private readonly capacity = 32) {}

  get all(): readonly TimedFrame[] {
    return this.frames;
  }

  get newest(): TimedFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** Returns false when the frame was dropped (duplicate, or older than everything kept). */
  push(frame: TimedFrame): boolean {
    const frames = this.frames;
    let i = frames.length;
    while (i > 0 && frames[i - 1]!.ts > frame.ts) i--;
    if (i > 0 && frames[i - 1]!.ts === frame.ts) return false;
    if (i === 0 && frames.length >= this.capacity) return false;
    frames.splice(i, 0, frame);
    if (frames.length > this.capacity) frames.shift();
    return true;
  }

  clear(): void {
    this.frames = [];
  }
}
