/**
 * The own paddle's intended position, moved by how long a direction key has been held rather
 * than by how many key events arrived (repeat rates differ from 15 to 35 Hz between terminals).
 * A press moves one step at once, so the key is answered in the very next frame and a tap
 * nudges the paddle without waiting up to 600 ms to learn whether the key is held; a confirmed
 * hold glides, accelerating briefly to a top speed.
 *
 * The top speed is set so the far wall is reachable in time for any shot:
 * - the fastest ball (1.25 units/tick, flat, 75 units/s) crosses from one paddle's contact line
 *   to the other's (35.5 units) in 473 ms; allow 200 ms to see it and react: 273 ms remain;
 * - the paddle covers a ball whose centre is within its span widened by the ball's radius, so
 *   from one wall it must travel 12 − 0.25 − 3.25 = 8.5 units to reach a ball at the other;
 * - the press step covers 1 unit, the 80 ms ramp costs 40 ms: 0.04 s + 7.5 / v ≤ 0.273 s
 *   needs v ≥ 32 units/s. 40 units/s (0.67 units/tick) arrives in 228 ms, 45 ms to spare, and
 *   stays well under the server's limit of 1.5 units/tick (90 units/s), so the server's paddle
 *   never falls behind the predicted one by more than the round trip.
 * Pure: time is passed in, and the caller drives tick() once per display frame.
 */
import { COURT_HEIGHT, PADDLE_HEIGHT } from '../protocol/constants.js';
import type { HoldKey, KeyEventType, KeyHold } from './key-hold.js';

export interface PaddleMotionOptions {
  /** Top speed, court units per second, while a key is held. */
  speed?: number;
  /** Time to reach the top speed from rest, ms. */
  accelMs?: number;
  /** Court units a press moves at once. */
  step?: number;
  min?: number;
  max?: number;
}

export const PADDLE_TOP_SPEED = 40;
export const PADDLE_ACCEL_MS = 80;

const DIRECTION: Record<HoldKey, number> = { up: -1, down: 1 };
/** Paddle messages carry this precision; finer digits are noise on the wire. */
const round = (y: number): number => Math.round(y * 100) / 100;

export class PaddleMotion {
  private readonly speed: number;
  private readonly accelMs: number;
  private readonly step: number;
  private readonly min: number;
  private readonly max: number;
  private y = 0;
  private lastTick: number | null = null;

  constructor(
    private readonly keys: KeyHold,
    options: PaddleMotionOptions = {},
  ) {
    this.speed = options.speed ?? PADDLE_TOP_SPEED;
    this.accelMs = options.accelMs ?? PADDLE_ACCEL_MS;
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
    if (change === 'started') this.y = this.clamp(this.y + DIRECTION[key] * this.step);
    return this.position !== before ? this.position : null;
  }

  /** Returns the new position when time moved the paddle, else null. */
  tick(now: number): number | null {
    const before = this.position;
    this.advance(now);
    return this.position !== before ? this.position : null;
  }

  /** Distance covered `t` ms into a glide: a linear ramp to the top speed, then cruising. */
  private glided(t: number): number {
    if (t <= 0) return 0;
    const a = this.accelMs;
    const ms = t <= a ? (t * t) / (2 * a) : t - a / 2;
    return (this.speed * ms) / 1000;
  }

  private advance(now: number): void {
    const from = this.lastTick;
    this.lastTick = now;
    if (from === null || now <= from) return;
    const key = this.keys.activeKey(from);
    if (key === null || !this.keys.isConfirmed(key, from)) return;
    const until = Math.min(now, this.keys.heldUntil(key));
    if (until <= from) return;
    const start = this.keys.confirmedAt(key);
    const distance = this.glided(until - start) - this.glided(from - start);
    this.y = this.clamp(this.y + DIRECTION[key] * distance);
  }

  private clamp(y: number): number {
    return Math.min(this.max, Math.max(this.min, y));
  }
}
