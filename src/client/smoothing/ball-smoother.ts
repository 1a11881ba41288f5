/**
 * The ball as drawn: frames go in as they arrive, and every display frame asks where the ball
 * is now. Composes the pieces of this folder: transit tracking sets the delay, the playhead
 * glides along the server's timeline, sampling interpolates (or briefly extrapolates), and the
 * correction offset hides the error of an extrapolation once the truth arrives.
 */
import { BALL_RADIUS, COURT_HEIGHT, COURT_WIDTH, DEFAULT_FPS } from '../../protocol/constants.js';
import { absorbError, decayOffset, DEFAULT_CORRECTION, NO_OFFSET, type CorrectionOptions, type Offset } from './correction.js';
import { FrameBuffer, type TimedFrame } from './frames.js';
import { advancePlayhead, DEFAULT_PLAYHEAD, type PlayheadOptions } from './playhead.js';
import { DEFAULT_DELAY, playoutDelayMs, TransitTracker, type DelayOptions } from './playout-delay.js';
import { extrapolate, sampleFrames, type BallSample, type SampleKind, type SampleOptions } from './sample.js';

export interface SmootherOptions {
  tickMs?: number;
  /** Extrapolate at most this far past the newest frame: three frames. */
  maxExtrapolateMs?: number;
  width?: number;
  height?: number;
  radius?: number;
  delay?: Partial<DelayOptions>;
  playhead?: PlayheadOptions;
  correction?: CorrectionOptions;
}

export interface SmoothedBall {
  x: number;
  y: number;
  p1y?: number | undefined;
  p2y?: number | undefined;
  kind: SampleKind;
  /** The server instant drawn, on the server's clock. */
  at: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export class BallSmoother {
  private readonly buffer = new FrameBuffer();
  private readonly transit = new TransitTracker();
  private readonly sampling: SampleOptions;
  private readonly delayOptions: DelayOptions;
  private readonly playheadOptions: PlayheadOptions;
  private readonly correction: CorrectionOptions;
  private readonly width: number;
  private playhead: number | null = null;
  private lastNow: number | null = null;
  private last: BallSample | null = null;
  private offset: Offset = NO_OFFSET;

  constructor(options: SmootherOptions = {}) {
    const tickMs = options.tickMs ?? 1000 / DEFAULT_FPS;
    this.sampling = {
      tickMs,
      maxExtrapolateMs: options.maxExtrapolateMs ?? 3 * tickMs,
      height: options.height ?? COURT_HEIGHT,
      radius: options.radius ?? BALL_RADIUS,
    };
    this.width = options.width ?? COURT_WIDTH;
    this.delayOptions = { ...DEFAULT_DELAY, periodMs: tickMs, ...options.delay };
    this.playheadOptions = options.playhead ?? DEFAULT_PLAYHEAD;
    this.correction = options.correction ?? DEFAULT_CORRECTION;
  }

  get jitterMs(): number {
    return this.transit.jitter;
  }

  get delayMs(): number {
    return playoutDelayMs(this.transit.jitter, this.delayOptions);
  }

  push(frame: TimedFrame): void {
    if (this.buffer.push(frame)) this.transit.observe(frame.ts, frame.rx);
  }

  /** Where to draw the ball at local time `now`; null before the first frame. */
  sample(now: number): SmoothedBall | null {
    const base = this.transit.base;
    if (base === null) return null;
    const dt = this.lastNow === null ? 0 : Math.max(0, now - this.lastNow);
    this.lastNow = now;
    this.playhead = advancePlayhead(this.playhead, now - base - this.delayMs, dt, this.playheadOptions);
    const frames = this.buffer.all;
    const sample = sampleFrames(frames, this.playhead, this.sampling);
    if (sample === null) return null;

    this.offset = decayOffset(this.offset, dt, this.correction);
    const last = this.last;
    if (last !== null && last.kind === 'extrapolated' && sample.basis !== last.basis) {
      // What the old guess would draw now, against what the frames that since arrived say.
      const basis = frames.find((f) => f.seq === last.basis);
      if (basis !== undefined) {
        const guess = extrapolate(basis, this.playhead - basis.ts, this.sampling);
        this.offset = absorbError(this.offset, { x: guess.x - sample.x, y: guess.y - sample.y }, this.correction);
      }
    }
    this.last = sample;
    const r = this.sampling.radius;
    return {
      x: clamp(sample.x + this.offset.x, 0, this.width),
      y: clamp(sample.y + this.offset.y, r, this.sampling.height - r),
      p1y: sample.p1y,
      p2y: sample.p2y,
      kind: sample.kind,
      at: this.playhead,
    };
  }
}
