/**
 * A shot-by-shot harness for the bot: the opponent sends the ball from its paddle at a random
 * height, speed and angle; the bot decides every 60 Hz tick and the ball's centre is checked
 * against the paddle when it reaches the bot's contact line. Geometry follows the server's
 * physics (walls reflect the centre at BALL_RADIUS from the edge, paddle spans widened by it).
 */
import { BALL_RADIUS, PADDLE_HEIGHT } from '../../src/protocol/constants.js';
import type { BallMessage, PlayerNumber, StateMessage } from '../../src/protocol/messages.js';
import { contactX, type BotBrain } from '../../src/bot/brain.js';
import { DEFAULT_WALLS, foldIntoWalls } from '../../src/bot/predict.js';

/** mulberry32: small, seedable, good enough to drive tests reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PLAYING: StateMessage = { status: 'playing', p1Score: 0, p2Score: 0, servingPlayer: null, timestamp: 1 };

export interface ShotSpec {
  startY: number;
  speed: number;
  angle: number;
  paddleY: number;
}

const TICK_MS = 1000 / 60;

/** Plays one shot at the bot; returns whether its paddle covered the ball at contact. */
export function playShot(brain: BotBrain, me: PlayerNumber, shot: ShotSpec, startMs: number): { hit: boolean; endMs: number } {
  const opponent: PlayerNumber = me === 1 ? 2 : 1;
  const fromX = contactX(opponent);
  const toX = contactX(me);
  const dir = me === 1 ? -1 : 1;
  const dx = dir * shot.speed * Math.cos(shot.angle);
  const dy = shot.speed * Math.sin(shot.angle);
  let paddleY = shot.paddleY;
  let now = startMs;
  const ticks = (toX - fromX) / dx;
  for (let t = 0; t < ticks; t++) {
    const folded = foldIntoWalls(shot.startY + dy * t, DEFAULT_WALLS);
    const dyNow = folded.bounces % 2 === 0 ? dy : -dy;
    const ball: BallMessage = { x: fromX + dx * t, y: folded.y, dx, dy: dyNow, timestamp: now, seq: t };
    paddleY = brain.decide({ me, ball, state: PLAYING, myPaddleY: paddleY, now }).paddleY;
    now += TICK_MS;
  }
  const arrival = foldIntoWalls(shot.startY + dy * ticks, DEFAULT_WALLS).y;
  const hit = arrival >= paddleY - BALL_RADIUS && arrival <= paddleY + PADDLE_HEIGHT + BALL_RADIUS;
  return { hit, endMs: now };
}

/** Fraction of `shots` random shots the bot returns. */
export function hitRate(brain: BotBrain, me: PlayerNumber, shots: number, random: () => number): number {
  let hits = 0;
  let now = 1000;
  let paddleY = 4.5;
  for (let i = 0; i < shots; i++) {
    const spec: ShotSpec = {
      startY: DEFAULT_WALLS.top + random() * (DEFAULT_WALLS.bottom - DEFAULT_WALLS.top),
      speed: 0.5 + random() * 0.75,
      angle: (random() * 2 - 1) * (Math.PI / 3),
      paddleY,
    };
    const result = playShot(brain, me, spec, now);
    if (result.hit) hits += 1;
    now = result.endMs + 200;
    paddleY = Math.min(9, Math.max(0, spec.paddleY + (random() * 2 - 1) * 3));
  }
  return hits / shots;
}
