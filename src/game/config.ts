/**
 * Tunables of one game. Geometry comes from the shared protocol constants so the server and
 * every client agree on the court; speeds are per tick because the simulation knows no other
 * time than its tick count.
 */
import {
  BALL_RADIUS,
  COURT_HEIGHT,
  COURT_WIDTH,
  DEFAULT_FPS,
  DEFAULT_POINTS,
  PADDLE_HEIGHT,
  PADDLE_INSET,
  PADDLE_WIDTH,
} from '../protocol/constants.js';

export interface GameConfig {
  width: number;
  height: number;
  paddleHeight: number;
  paddleInset: number;
  paddleWidth: number;
  ballRadius: number;
  pointsToWin: number;
  /** Ticks per second; only used to turn millisecond options into ticks. */
  fps: number;
  /** Ball speed of every serve, units per tick (the classic demo's 0.5). */
  serveSpeed: number;
  /** Widest serve angle off the horizontal, radians; the actual one is drawn from the seeded PRNG. */
  serveMaxAngle: number;
  /** Speed multiplier per paddle hit, so rallies get harder. */
  speedUpPerHit: number;
  maxSpeed: number;
  /** Bounce angle off a paddle edge; the centre returns the ball flat. */
  maxBounceAngle: number;
  /** Paddle speed limit, units per tick: instant for a human, yet never a teleport. */
  paddleMaxSpeed: number;
  /** Ticks the serving player has before the server serves for them. */
  autoServeTicks: number;
}

export const DEFAULT_AUTO_SERVE_MS = 3000;

export function ticksForMs(ms: number, fps: number): number {
  return Math.max(1, Math.round((ms * fps) / 1000));
}

export function makeConfig(overrides: Partial<GameConfig> = {}): GameConfig {
  const fps = overrides.fps ?? DEFAULT_FPS;
  const config: GameConfig = {
    width: COURT_WIDTH,
    height: COURT_HEIGHT,
    paddleHeight: PADDLE_HEIGHT,
    paddleInset: PADDLE_INSET,
    paddleWidth: PADDLE_WIDTH,
    ballRadius: BALL_RADIUS,
    pointsToWin: DEFAULT_POINTS,
    fps,
    serveSpeed: 0.5,
    serveMaxAngle: Math.PI / 6,
    speedUpPerHit: 1.04,
    maxSpeed: 1.25,
    maxBounceAngle: Math.PI / 3,
    paddleMaxSpeed: 1.5,
    autoServeTicks: ticksForMs(DEFAULT_AUTO_SERVE_MS, fps),
    ...overrides,
  };
  if (!(config.pointsToWin >= 1) || !Number.isInteger(config.pointsToWin)) {
    throw new RangeError(`pointsToWin must be a positive integer, got ${config.pointsToWin}`);
  }
  if (!(config.fps > 0)) throw new RangeError(`fps must be positive, got ${config.fps}`);
  if (!(config.paddleHeight < config.height)) throw new RangeError('paddle taller than the court');
  return config;
}

/** x of the face each paddle presents to the ball. */
export function paddleFaceX(config: GameConfig, player: 1 | 2): number {
  return player === 1
    ? config.paddleInset + config.paddleWidth
    : config.width - config.paddleInset - config.paddleWidth;
}

export function maxPaddleY(config: GameConfig): number {
  return config.height - config.paddleHeight;
}
