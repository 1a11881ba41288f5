/**
 * The own paddle's intended position, moved by how long a direction key has been held rather
 * than by how many key events arrived (repeat rates differ from 15 to 35 Hz between terminals).
 * A tentative press (no repeat yet) moves one step at once, so a tap nudges the paddle without
 * waiting up to 600 ms to learn whether the key is held; a confirmed hold glides at `speed`.
 * Pure: time is passed in, and the caller drives tick() from a timer.
 */
import { COURT_HEIGHT, PADDLE_HEIGHT } from '../protocol/constants.js';
import type { HoldKey, KeyEventType, KeyHold } from './key-hold.js';

export interface PaddleMotionOptions {
  /** Court units per second while a key is held. */
  speed?: number;
  /** Court units a tap moves. */
  step?: number;
  min?: number;
  max?: number;
}

const DIRECTION: Record<HoldKey, number> = { up: -1, down: 1 };
/** Paddle messages carry this precision; finer digits are noise on the wire. */
const round = (y: number): number => Math.round(y * 100) / 100;

export class PaddleMotion {
  private readonly speed: number;
  private readonly step: number;
  private readonly min: number;
  private readonly max: number;
  private y = 0;
  private lastTick: number | null = null;

  constructor(
    private readonly keys: KeyHold,
    options: PaddleMotionOptions = {},
  ) {
    this.speed = options.speed ?? 24;
    this.step = options.step ?? 1;
    this.min = options.min ?? 0;
    this.max = options.max ?? COURT_HEIGHT - PADDLE_HEIGHT;
  }

  get position(): number {
    return round(this.y);
  }

  /** Adopt the authoritative position; only meaningful while no key is held. */
  sync(y: number): void {
    if (Number.isFinite(y)) this.y = this.clamp(y);
  }

  /** A key is down (held or still tentative): the caller keeps ticking until it is not. */
  isActive(now: number): boolean {
    return this.keys.activeKey(now) !== null;
  }

  /** Returns the new position when the event moved the paddle, else null. */
  onKey(key: HoldKey, now: number, type?: KeyEventType): number | null {
    const before = this.position;
    // Motion up to this instant still follows the keys as they were.
    this.advance(now);
    const change = this.keys.event(key, now, type);
    if (change === 'started' && !this.keys.isConfirmed(key, now)) {
      this.y = this.clamp(this.y + DIRECTION[key] * this.step);
    }
    return this.position !== before ? this.position : null;
  }

  /** Returns the new position when time moved the paddle, else null. */
  tick(now: number): number | null {
    const before = this.position;
    this.advance(now);
    return this.position !== before ? this.position : null;
  }

  private advance(now: number): void {
    const from = this.lastTick;
    this.lastTick = now;
    if (from === null || now <= from) return;
    const key = this.keys.activeKey(from);
    if (key === null || !this.keys.isConfirmed(key, from)) return;
    const until = Math.min(now, this.keys.heldUntil(key));
    if (until <= from) return;
    this.y = this.clamp(this.y + (DIRECTION[key] * this.speed * (until - from)) / 1000);
  }

  private clamp(y: number): number {
    return Math.min(this.max, Math.max(this.min, y));
  }
}
