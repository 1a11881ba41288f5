/**
 * Ball motion within one tick. The path is swept as a segment against the walls, the paddle
 * faces and the goal lines, taking the earliest contact, reflecting, and continuing with the
 * time left: a fast ball cannot skip through a paddle between two samples, and several
 * bounces in one tick are resolved in order.
 *
 * The ball is a circle of radius r, so every obstacle is moved r towards the ball (a Minkowski
 * sum); paddle spans are widened by r as well so a ball grazing a corner is returned.
 */
import type { PlayerNumber } from '../protocol/messages.js';
import { paddleFaceX, type GameConfig } from './config.js';
import type { Ball, GameEvent, Seats } from './model.js';

export interface SweepResult {
  ball: Ball;
  events: GameEvent[];
  /** Who scored, if the ball reached a goal line this tick (the ball stops there). */
  scorer: PlayerNumber | null;
  paddleHits: number;
}

type Contact = 'top' | 'bottom' | 'face1' | 'face2' | 'goal1' | 'goal2';

/** Far above any real bounce count in one tick; only guards against a degenerate velocity. */
const MAX_CONTACTS_PER_TICK = 64;
/** Slack for float round-off when the ball sits exactly on a face after a previous contact. */
const EPSILON = 1e-9;

/** Reflection off a paddle: the contact point sets the angle, every hit adds speed. */
export function bounceOffPaddle(
  ball: Ball,
  paddleTop: number,
  player: PlayerNumber,
  config: GameConfig,
): { ball: Ball; offset: number; speed: number } {
  const relative = (ball.y - paddleTop) / config.paddleHeight;
  const offset = Math.min(Math.max(relative * 2 - 1, -1), 1);
  const angle = offset * config.maxBounceAngle;
  const speed = Math.min(Math.hypot(ball.dx, ball.dy) * config.speedUpPerHit, config.maxSpeed);
  const direction = player === 1 ? 1 : -1;
  return {
    ball: { x: ball.x, y: ball.y, dx: direction * speed * Math.cos(angle), dy: speed * Math.sin(angle) },
    offset,
    speed,
  };
}

export function sweepBall(start: Ball, paddleTops: Seats<number>, config: GameConfig): SweepResult {
  const r = config.ballRadius;
  const top = r;
  const bottom = config.height - r;
  const face1 = paddleFaceX(config, 1) + r;
  const face2 = paddleFaceX(config, 2) - r;
  const events: GameEvent[] = [];
  let ball = { ...start };
  let remaining = 1;
  let paddleHits = 0;

  for (let i = 0; i < MAX_CONTACTS_PER_TICK && remaining > 0; i++) {
    let when = remaining;
    let contact: Contact | null = null;
    const consider = (t: number, what: Contact): void => {
      const at = Math.max(t, 0);
      if (at < when || (at === when && contact === null)) {
        when = at;
        contact = what;
      }
    };

    if (ball.dy < 0) consider((top - ball.y) / ball.dy, 'top');
    else if (ball.dy > 0) consider((bottom - ball.y) / ball.dy, 'bottom');

    if (ball.dx < 0) {
      if (ball.x >= face1 - EPSILON) {
        const t = Math.max((face1 - ball.x) / ball.dx, 0);
        if (spans(ball.y + ball.dy * t, paddleTops.p1, r, config)) consider(t, 'face1');
      }
      consider(-ball.x / ball.dx, 'goal1');
    } else if (ball.dx > 0) {
      if (ball.x <= face2 + EPSILON) {
        const t = Math.max((face2 - ball.x) / ball.dx, 0);
        if (spans(ball.y + ball.dy * t, paddleTops.p2, r, config)) consider(t, 'face2');
      }
      consider((config.width - ball.x) / ball.dx, 'goal2');
    }

    ball = { ...ball, x: ball.x + ball.dx * when, y: ball.y + ball.dy * when };
    remaining -= when;
    // TypeScript cannot see the closure's assignments, hence the widening.
    const hit = contact as Contact | null;
    if (hit === null) break;

    switch (hit) {
      case 'top':
      case 'bottom':
        ball = { ...ball, y: hit === 'top' ? top : bottom, dy: -ball.dy };
        events.push({ type: 'wall', y: ball.y });
        break;
      case 'face1':
      case 'face2': {
        const player: PlayerNumber = hit === 'face1' ? 1 : 2;
        const atFace = { ...ball, x: player === 1 ? face1 : face2 };
        const bounced = bounceOffPaddle(atFace, player === 1 ? paddleTops.p1 : paddleTops.p2, player, config);
        ball = bounced.ball;
        paddleHits += 1;
        events.push({ type: 'paddle', player, offset: bounced.offset, speed: bounced.speed });
        break;
      }
      case 'goal1':
      case 'goal2':
        return {
          ball: { ...ball, x: hit === 'goal1' ? 0 : config.width },
          events,
          scorer: hit === 'goal1' ? 2 : 1,
          paddleHits,
        };
    }
  }

  // Round-off can leave the centre a hair outside the walls; never let it escape the court.
  ball.y = Math.min(Math.max(ball.y, top), bottom);
  return { ball, events, scorer: null, paddleHits };
}

function spans(y: number, paddleTop: number, r: number, config: GameConfig): boolean {
  return y >= paddleTop - r && y <= paddleTop + config.paddleHeight + r;
}
