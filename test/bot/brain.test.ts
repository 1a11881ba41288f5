import { describe, expect, it } from 'vitest';
import { botTraits, contactX, createBotBrain, type BotInputs } from '../../src/bot/brain.js';
import { DEFAULT_WALLS, foldIntoWalls, predictIntercept } from '../../src/bot/predict.js';
import { BALL_RADIUS, COURT_HEIGHT, COURT_WIDTH, PADDLE_HEIGHT, PADDLE_INSET, PADDLE_WIDTH } from '../../src/protocol/constants.js';
import type { BallMessage, StateMessage } from '../../src/protocol/messages.js';
import { hitRate, playShot, PLAYING, seededRandom } from './sim.js';

const ball = (b: Partial<BallMessage>): BallMessage => ({ x: 20, y: 6, dx: 0, dy: 0, timestamp: 1, seq: 1, ...b });

describe('predictIntercept', () => {
  const walls = { top: 0.25, bottom: 11.75 };

  it('goes straight when no wall is in the way', () => {
    expect(predictIntercept({ x: 20, y: 6, dx: -0.5, dy: 0.1 }, 2.25, walls)).toEqual({ y: 6 + 0.1 * 35.5, ticks: 35.5, bounces: 0 });
  });

  it('reflects off one wall', () => {
    // 6 + 0.2 × 35.5 = 13.1 is 1.35 past the bottom wall, so 1.35 above it.
    const hit = predictIntercept({ x: 20, y: 6, dx: -0.5, dy: 0.2 }, 2.25, walls)!;
    expect(hit.y).toBeCloseTo(11.75 - 1.35, 12);
    expect(hit.bounces).toBe(1);
    const up = predictIntercept({ x: 20, y: 3, dx: 0.5, dy: -0.25 }, 37.75, walls)!;
    // 3 − 0.25 × 35.5 = −5.875: 6.125 below the top wall, reflected to 0.25 + 6.125.
    expect(up.y).toBeCloseTo(6.375, 12);
    expect(up.bounces).toBe(1);
  });

  it('reflects off two walls', () => {
    // Down 5.75 to the bottom (11.5 ticks), up 11.5 to the top (23 ticks), then 1 tick down.
    const hit = predictIntercept({ x: 20, y: 6, dx: -0.5, dy: 0.5 }, 2.25, walls)!;
    expect(hit.ticks).toBe(35.5);
    expect(hit.y).toBeCloseTo(0.75, 12);
    expect(hit.bounces).toBe(2);
  });

  it('agrees with stepping the ball tick by tick through many bounces', () => {
    const rand = seededRandom(3);
    for (let i = 0; i < 500; i++) {
      const start = { x: 20, y: 0.25 + rand() * 11.5, dx: (rand() < 0.5 ? -1 : 1) * (0.2 + rand()), dy: (rand() * 2 - 1) * 2 };
      const targetX = start.dx < 0 ? 2.25 : 37.75;
      const predicted = predictIntercept(start, targetX, walls)!;
      // Reference: substeps small enough that each crosses at most one wall, reflecting as they go.
      let { y, dy } = start;
      let bounces = 0;
      const steps = 2000;
      const dt = predicted.ticks / steps;
      for (let s = 0; s < steps; s++) {
        y += dy * dt;
        if (y > walls.bottom) [y, dy, bounces] = [2 * walls.bottom - y, -dy, bounces + 1];
        if (y < walls.top) [y, dy, bounces] = [2 * walls.top - y, -dy, bounces + 1];
      }
      expect(predicted.y).toBeCloseTo(y, 6);
      expect(predicted.bounces).toBe(bounces);
    }
  });

  it('has nothing to predict for a ball going the other way, standing still or already past', () => {
    expect(predictIntercept({ x: 20, y: 6, dx: 0.5, dy: 0 }, 2.25, walls)).toBeNull();
    expect(predictIntercept({ x: 20, y: 6, dx: 0, dy: 0.5 }, 2.25, walls)).toBeNull();
    expect(predictIntercept({ x: 1, y: 6, dx: -0.5, dy: 0 }, 2.25, walls)).toBeNull();
  });

  it('folds with the server geometry by default', () => {
    expect(DEFAULT_WALLS).toEqual({ top: BALL_RADIUS, bottom: COURT_HEIGHT - BALL_RADIUS });
    expect(foldIntoWalls(-1).y).toBeCloseTo(BALL_RADIUS + 1 + BALL_RADIUS, 12);
  });
});

describe('contactX', () => {
  it('is the face of each paddle, moved out by the ball radius', () => {
    expect(contactX(1)).toBe(PADDLE_INSET + PADDLE_WIDTH + BALL_RADIUS);
    expect(contactX(2)).toBe(COURT_WIDTH - PADDLE_INSET - PADDLE_WIDTH - BALL_RADIUS);
  });
});

describe('bot brain: serving', () => {
  const serving = (servingPlayer: 1 | 2 | null, status: StateMessage['status'] = 'playing'): StateMessage => ({
    ...PLAYING,
    status,
    servingPlayer,
  });
  const inputs = (state: StateMessage | null, now: number): BotInputs => ({ me: 2, ball: ball({}), state, myPaddleY: 4.5, now });

  it('serves only when it is the serving player and the game is on, after a human pause', () => {
    const brain = createBotBrain({ skill: 0.8, random: seededRandom(1) });
    const servedAt: number[] = [];
    for (let now = 0; now <= 1200; now += 1000 / 60) {
      if (brain.decide(inputs(serving(2), now)).serve) servedAt.push(now);
    }
    expect(servedAt).toHaveLength(1);
    expect(servedAt[0]).toBeGreaterThanOrEqual(250);
    expect(servedAt[0]).toBeLessThanOrEqual(700 + 1000 / 60);
  });

  it('never serves for the other player, while paused or waiting, or without a state', () => {
    const brain = createBotBrain({ skill: 1, random: seededRandom(2) });
    for (let now = 0; now < 5000; now += 1000 / 60) {
      for (const state of [serving(1), serving(null), serving(2, 'paused'), serving(2, 'waiting'), serving(2, 'ended'), null]) {
        expect(brain.decide(inputs(state, now)).serve).toBe(false);
      }
    }
  });

  it('tries again if the serve was not taken, and starts a fresh pause for the next serve', () => {
    const brain = createBotBrain({ skill: 0.8, random: seededRandom(5) });
    const servedAt: number[] = [];
    for (let now = 0; now <= 4000; now += 10) if (brain.decide(inputs(serving(2), now)).serve) servedAt.push(now);
    expect(servedAt.length).toBe(3);
    expect(servedAt[1]! - servedAt[0]!).toBeGreaterThanOrEqual(1500);
    brain.decide(inputs(serving(null), 4010));
    expect(brain.decide(inputs(serving(2), 4020)).serve).toBe(false);
  });
});

describe('bot brain: moving', () => {
  it('never moves faster than its skill allows, and stays on the court', () => {
    for (const skill of [0, 0.5, 1]) {
      const brain = createBotBrain({ skill, random: seededRandom(9) });
      const speed = botTraits(skill).speed;
      let y = 0;
      let now = 0;
      for (let i = 0; i < 300; i++) {
        now += 1000 / 60;
        const b = ball({ x: 30, y: 11.5, dx: 0.5, dy: 0 });
        const next = brain.decide({ me: 2, ball: b, state: PLAYING, myPaddleY: y, now }).paddleY;
        expect(Math.abs(next - y)).toBeLessThanOrEqual((speed * (1000 / 60)) / 1000 + 1e-9);
        expect(next).toBeGreaterThanOrEqual(0);
        expect(next).toBeLessThanOrEqual(COURT_HEIGHT - PADDLE_HEIGHT);
        y = next;
      }
    }
  });

  it('drifts back to the centre when the ball goes away', () => {
    const brain = createBotBrain({ skill: 0.8, random: seededRandom(4) });
    let y = 0;
    for (let now = 0; now < 3000; now += 1000 / 60) {
      y = brain.decide({ me: 1, ball: ball({ x: 20, dx: 0.6, dy: 0.2 }), state: PLAYING, myPaddleY: y, now }).paddleY;
    }
    expect(y + PADDLE_HEIGHT / 2).toBeCloseTo(COURT_HEIGHT / 2, 9);
  });

  it('at skill 1 reaches the intercept in time for a typical shot', () => {
    // From the far corner, a fast ball crossing with one bounce towards the other corner.
    for (const me of [1, 2] as const) {
      const brain = createBotBrain({ skill: 1, random: seededRandom(11) });
      const result = playShot(brain, me, { startY: 1, speed: 0.9, angle: 0.35, paddleY: 0 }, 0);
      expect(result.hit).toBe(true);
    }
    const brain = createBotBrain({ skill: 1, random: seededRandom(12) });
    const b = ball({ x: contactX(1), y: 2, dx: 0.8, dy: 0.3 });
    const target = predictIntercept(b, contactX(2))!;
    let y = 0;
    let now = 0;
    const path: number[] = [];
    for (let t = 0; t < target.ticks; t++) {
      const folded = foldIntoWalls(b.y + b.dy * t);
      const current = { ...b, x: b.x + b.dx * t, y: folded.y, dy: folded.bounces % 2 === 0 ? b.dy : -b.dy };
      y = brain.decide({ me: 2, ball: current, state: PLAYING, myPaddleY: y, now }).paddleY;
      path.push(y);
      now += 1000 / 60;
    }
    // It got there with time to spare: settled for the last quarter of the ball's flight...
    const settled = path.slice(Math.floor(path.length * 0.75));
    expect(Math.max(...settled) - Math.min(...settled)).toBeLessThan(1e-9);
    // ...with the ball on the paddle, its centre off the intercept by no more than its deliberate
    // aim (60% of half the paddle) plus three standard deviations of its aim error.
    const slack = 0.6 * (PADDLE_HEIGHT / 2) + 3 * botTraits(1).aimErrorSd * (1 + 0.35 * target.bounces);
    expect(Math.abs(y + PADDLE_HEIGHT / 2 - target.y)).toBeLessThan(slack);
    expect(target.y).toBeGreaterThanOrEqual(y - BALL_RADIUS);
    expect(target.y).toBeLessThanOrEqual(y + PADDLE_HEIGHT + BALL_RADIUS);
  });

  it('returns most shots at 0.8, nearly all at 1, and misses more at low skill', () => {
    const rate = (skill: number) => hitRate(createBotBrain({ skill, random: seededRandom(21) }), 2, 2000, seededRandom(77));
    const [low, good, best] = [rate(0.2), rate(0.8), rate(1)];
    expect(best).toBeGreaterThanOrEqual(0.98);
    expect(good).toBeGreaterThanOrEqual(0.9);
    // A bot that never misses would make bot-vs-bot games endless.
    expect(good).toBeLessThan(0.995);
    expect(low).toBeLessThan(0.9);
    expect(low).toBeLessThan(good);
  });

  it('is deterministic for a given random source', () => {
    const run = () => {
      const brain = createBotBrain({ skill: 0.6, random: seededRandom(99) });
      const out: number[] = [];
      let y = 4.5;
      for (let t = 0; t < 200; t++) {
        y = brain.decide({ me: 1, ball: ball({ x: 37 - t * 0.4, y: 3, dx: -0.4, dy: 0.3 }), state: PLAYING, myPaddleY: y, now: t * 16.7 }).paddleY;
        out.push(y);
      }
      return out;
    };
    expect(run()).toEqual(run());
  });

  it('defaults to skill 0.8 and survives odd inputs', () => {
    const brain = createBotBrain();
    const d = brain.decide({ me: 1, ball: null, state: null, myPaddleY: Number.NaN, now: 0 });
    expect(Number.isFinite(d.paddleY)).toBe(true);
    expect(d.serve).toBe(false);
    expect(botTraits(Number.NaN)).toEqual(botTraits(0.8));
    expect(botTraits(7)).toEqual(botTraits(1));
  });
});
