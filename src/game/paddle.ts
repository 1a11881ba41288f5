/**
 * Paddle motion: a player states where they want their paddle; the server decides how far it
 * actually gets each tick, so a client cannot teleport its paddle in front of the ball.
 */
import { maxPaddleY, type GameConfig } from './config.js';
import type { Paddle } from './model.js';

export function clampPaddleY(y: number, config: GameConfig): number {
  return Math.min(Math.max(y, 0), maxPaddleY(config));
}

export function withTarget(paddle: Paddle, targetY: number, config: GameConfig): Paddle {
  // A non-number must never reach the state: NaN would poison every later comparison.
  if (!Number.isFinite(targetY)) return paddle;
  return { y: paddle.y, targetY: clampPaddleY(targetY, config) };
}

export function movePaddle(paddle: Paddle, config: GameConfig): Paddle {
  const gap = paddle.targetY - paddle.y;
  if (gap === 0) return paddle;
  const step = Math.sign(gap) * Math.min(Math.abs(gap), config.paddleMaxSpeed);
  return { y: paddle.y + step, targetY: paddle.targetY };
}
