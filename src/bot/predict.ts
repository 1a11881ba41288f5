/**
 * Where a ball will be when its centre reaches a given x, bouncing off the top and bottom walls
 * on the way. Between paddles the motion is a straight line reflected at the walls, so instead
 * of stepping tick by tick the path is unfolded: the y the ball would reach through mirrored
 * copies of the court, folded back into it. O(1) whatever the number of bounces.
 */
import { BALL_RADIUS, COURT_HEIGHT } from '../protocol/constants.js';

export interface BallMotion {
  x: number;
  y: number;
  /** Court units per tick, as the server's frames carry them. */
  dx: number;
  dy: number;
}

/** The range the ball's centre moves in: walls reflect it where its edge touches them. */
export interface WallRange {
  top: number;
  bottom: number;
}

export const DEFAULT_WALLS: WallRange = { top: BALL_RADIUS, bottom: COURT_HEIGHT - BALL_RADIUS };

export interface Intercept {
  /** y of the ball's centre when it reaches the target x. */
  y: number;
  /** Ticks until then (fractional). */
  ticks: number;
  /** Wall reflections on the way. */
  bounces: number;
}

/** Mirrors an unbounded y back into [top, bottom]; counts how many walls that took. */
export function foldIntoWalls(y: number, walls: WallRange = DEFAULT_WALLS): { y: number; bounces: number } {
  const span = walls.bottom - walls.top;
  if (!(span > 0)) return { y: walls.top, bounces: 0 };
  const u = y - walls.top;
  const k = Math.floor(u / span);
  const r = u - k * span;
  return { y: k % 2 === 0 ? walls.top + r : walls.bottom - r, bounces: Math.abs(k) };
}

/** Null when the ball is not moving towards targetX or has already passed it. */
export function predictIntercept(ball: BallMotion, targetX: number, walls: WallRange = DEFAULT_WALLS): Intercept | null {
  if (!Number.isFinite(ball.dx) || ball.dx === 0) return null;
  const ticks = (targetX - ball.x) / ball.dx;
  if (!(ticks >= 0) || !Number.isFinite(ticks)) return null;
  const folded = foldIntoWalls(ball.y + ball.dy * ticks, walls);
  return { y: folded.y, ticks, bounces: folded.bounces };
}
