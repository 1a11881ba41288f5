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
  // Every game's server runs this each tick: the ball lives in locals and one Ball is made at
  // the end, rather than a copy per contact (the arithmetic, and so every result, is the same).
  let { x, y, dx, dy } = start;
  const events: GameEvent[] = [];
  let remaining = 1;
  let paddleHits = 0;

  for (let i = 0; i < MAX_CONTACTS_PER_TICK && remaining > 0; i++) {
    // The earliest contact within the time left; on a tie the first considered wins.
    let when = remaining;
    let contact: Contact | null = null;
    let t: number;

    if (dy < 0) {
      t = Math.max((top - y) / dy, 0);
      if (earlier(t, when, contact)) {
        when = t;
        contact = 'top';
      }
    } else if (dy > 0) {
      t = Math.max((bottom - y) / dy, 0);
      if (earlier(t, when, contact)) {
        when = t;
        contact = 'bottom';
      }
    }

    if (dx < 0) {
      if (x >= face1 - EPSILON) {
        t = Math.max((face1 - x) / dx, 0);
        if (spans(y + dy * t, paddleTops.p1, r, config) && earlier(t, when, contact)) {
          when = t;
          contact = 'face1';
        }
      }
      t = Math.max(-x / dx, 0);
      if (earlier(t, when, contact)) {
        when = t;
        contact = 'goal1';
      }
    } else if (dx > 0) {
      if (x <= face2 + EPSILON) {
        t = Math.max((face2 - x) / dx, 0);
        if (spans(y + dy * t, paddleTops.p2, r, config) && earlier(t, when, contact)) {
          when = t;
          contact = 'face2';
        }
      }
      t = Math.max((config.width - x) / dx, 0);
      if (earlier(t, when, contact)) {
        when = t;
        contact = 'goal2';
      }
    }

    x = x + dx * when;
    y = y + dy * when;
    remaining -= when;
    if (contact === null) break;

    switch (contact) {
      case 'top':
      case 'bottom':
        y = contact === 'top' ? top : bottom;
        dy = -dy;
        events.push({ type: 'wall', y });
        break;
      case 'face1':
      case 'face2': {
        const player: PlayerNumber = contact === 'face1' ? 1 : 2;
        const bounced = bounceOffPaddle({ x: player === 1 ? face1 : face2, y, dx, dy }, player === 1 ? paddleTops.p1 : paddleTops.p2, player, config);
        ({ x, y, dx, dy } = bounced.ball);
        paddleHits += 1;
        events.push({ type: 'paddle', player, offset: bounced.offset, speed: bounced.speed });
        break;
      }
      case 'goal1':
      case 'goal2':
        return {
          ball: { x: contact === 'goal1' ? 0 : config.width, y, dx, dy },
          events,
          scorer: contact === 'goal1' ? 2 : 1,
          paddleHits,
        };
    }
  }

  // Round-off can leave the centre a hair outside the walls; never let it escape the court.
  return { ball: { x, y: Math.min(Math.max(y, top), bottom), dx, dy }, events, scorer: null, paddleHits };
}

/** Whether a contact at `t` (already clamped to ≥ 0) comes before the best so far. */
function earlier(t: number, when: number, contact: Contact | null): boolean {
  return t < when || (t === when && contact === null);
}

function spans(y: number, paddleTop: number, r: number, config: GameConfig): boolean {
  return y >= paddleTop - r && y <= paddleTop + config.paddleHeight + r;
}
