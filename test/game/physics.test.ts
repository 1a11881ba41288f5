import { describe, expect, it } from 'vitest';
import { makeConfig, paddleFaceX } from '../../src/game/config.js';
import { bounceOffPaddle, sweepBall } from '../../src/game/physics.js';

const config = makeConfig();
const r = config.ballRadius;
const face1 = paddleFaceX(config, 1) + r;
const face2 = paddleFaceX(config, 2) - r;
const awayFromBall = { p1: 0, p2: 0 };

describe('walls', () => {
  it('reflects off the top wall and keeps the rest of the tick', () => {
    const out = sweepBall({ x: 20, y: 1, dx: 0.5, dy: -1 }, awayFromBall, config);
    expect(out.ball.y).toBeCloseTo(r + 0.25, 10);
    expect(out.ball.dy).toBe(1);
    expect(out.ball.x).toBeCloseTo(20.5, 10);
    expect(out.events).toEqual([{ type: 'wall', y: r }]);
  });

  it('reflects off the bottom wall', () => {
    const out = sweepBall({ x: 20, y: 11, dx: -0.5, dy: 1 }, awayFromBall, config);
    expect(out.ball.y).toBeCloseTo(config.height - r - 0.25, 10);
    expect(out.ball.dy).toBe(-1);
  });

  it('resolves several bounces within one tick in order', () => {
    // Down 5.75 to the floor, up 11.5 to the ceiling, then 7.75 back down: 25 units in all.
    const out = sweepBall({ x: 20, y: 6, dx: 0.1, dy: 25 }, awayFromBall, config);
    expect(out.events.map((e) => e.type)).toEqual(['wall', 'wall']);
    expect(out.ball.y).toBeCloseTo(r + 7.75, 9);
    expect(out.ball.dy).toBe(25);
    expect(out.ball.x).toBeCloseTo(20.1, 9);
  });
});

describe('paddle angles', () => {
  const top = 4;

  it('returns a ball hitting the centre flat', () => {
    const out = sweepBall({ x: face1 + 0.25, y: top + 1.5, dx: -0.5, dy: 0 }, { p1: top, p2: 0 }, config);
    expect(out.events[0]).toMatchObject({ type: 'paddle', player: 1, offset: 0 });
    expect(out.ball.dx).toBeGreaterThan(0);
    expect(out.ball.dy).toBeCloseTo(0, 12);
  });

  it('returns a ball hitting an edge at the steepest angle, away from the centre', () => {
    const upper = bounceOffPaddle({ x: face1, y: top, dx: -0.5, dy: 0 }, top, 1, config).ball;
    expect(Math.atan2(-upper.dy, upper.dx)).toBeCloseTo(config.maxBounceAngle, 10);
    const lower = bounceOffPaddle({ x: face2, y: top + 3, dx: 0.5, dy: 0 }, top, 2, config).ball;
    expect(lower.dx).toBeLessThan(0);
    expect(Math.atan2(lower.dy, -lower.dx)).toBeCloseTo(config.maxBounceAngle, 10);
  });

  it('caps the angle for a ball clipping the paddle corner', () => {
    const out = bounceOffPaddle({ x: face1, y: top - r, dx: -0.5, dy: 0.3 }, top, 1, config);
    expect(out.offset).toBe(-1);
    expect(Math.abs(Math.atan2(out.ball.dy, out.ball.dx))).toBeCloseTo(config.maxBounceAngle, 10);
  });

  it('steepens with distance from the centre', () => {
    const angleAt = (y: number) => {
      const b = bounceOffPaddle({ x: face1, y, dx: -0.5, dy: 0 }, top, 1, config).ball;
      return Math.abs(Math.atan2(b.dy, b.dx));
    };
    expect(angleAt(top + 1.5)).toBeLessThan(angleAt(top + 1));
    expect(angleAt(top + 1)).toBeLessThan(angleAt(top + 0.5));
  });
});

describe('speed', () => {
  it('rises per hit and stops at the cap', () => {
    let ball = { x: face1, y: 5.5, dx: -config.serveSpeed, dy: 0 };
    const speeds: number[] = [];
    for (let i = 0; i < 40; i++) {
      ball = bounceOffPaddle({ ...ball, dx: -Math.abs(ball.dx) }, 4, 1, config).ball;
      speeds.push(Math.hypot(ball.dx, ball.dy));
    }
    expect(speeds[0]).toBeCloseTo(config.serveSpeed * config.speedUpPerHit, 12);
    expect(speeds[1]).toBeCloseTo(config.serveSpeed * config.speedUpPerHit ** 2, 12);
    expect(Math.max(...speeds)).toBeCloseTo(config.maxSpeed, 12);
    expect(speeds.at(-1)).toBeCloseTo(config.maxSpeed, 12);
  });
});

describe('no tunnelling', () => {
  const fast = makeConfig({ maxSpeed: 100 });

  it('returns a 30 units/tick ball that a sampled step would carry past the paddle', () => {
    const out = sweepBall({ x: 25, y: 6, dx: -30, dy: 0 }, { p1: 4.5, p2: 0 }, fast);
    expect(out.scorer).toBeNull();
    expect(out.events.some((e) => e.type === 'paddle' && e.player === 1)).toBe(true);
    expect(out.ball.dx).toBeGreaterThan(0);
    // It hit at 22.75 units and flies on for the rest of the tick, faster.
    const timeLeft = 1 - (25 - face1) / 30;
    expect(out.ball.x).toBeCloseTo(face1 + timeLeft * 30 * fast.speedUpPerHit, 9);
  });

  it('finds the paddle after wall bounces in the same tick', () => {
    // Steep shot: floor, ceiling, then the p2 paddle at the top, all within one tick.
    const start = { x: 20, y: 6, dx: 18, dy: 20 };
    const out = sweepBall(start, { p1: 0, p2: 0 }, fast);
    const kinds = out.events.map((e) => (e.type === 'paddle' ? `paddle${e.player}` : e.type));
    expect(kinds.slice(0, 3)).toEqual(['wall', 'wall', 'paddle2']);
    expect(out.scorer).toBeNull();
  });

  it.each([1, 2, 5, 12, 30, 60])('never lets a %d units/tick ball through the paddle it meets', (speed) => {
    for (let y = 0.5; y <= 11.5; y += 0.5) {
      const top = Math.min(Math.max(y - 1.5, 0), fast.height - fast.paddleHeight);
      for (const direction of [-1, 1]) {
        let ball = { x: 20, y, dx: direction * speed, dy: 0 };
        let firstHit: number | null = null;
        for (let tick = 0; tick < 200 && firstHit === null; tick++) {
          const out = sweepBall(ball, { p1: top, p2: top }, fast);
          const hit = out.events.find((e) => e.type === 'paddle');
          // A return may legitimately cross the court and score within the same tick, but
          // only after the paddle in the ball's way has been met.
          if (hit?.type === 'paddle') firstHit = hit.player;
          else expect(out.scorer).toBeNull();
          ball = out.ball;
        }
        expect(firstHit).toBe(direction === -1 ? 1 : 2);
      }
    }
  });

  it('still scores a fast ball that misses', () => {
    const out = sweepBall({ x: 20, y: 10, dx: -30, dy: 0 }, { p1: 0, p2: 0 }, fast);
    expect(out.scorer).toBe(2);
    expect(out.ball.x).toBe(0);
  });
});
