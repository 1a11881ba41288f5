import { describe, expect, it } from 'vitest';
import { paddleFaceX } from '../../src/game/config.js';
import { createGame, type GameState } from '../../src/game/model.js';
import { advance, applyCommand, heldBall, step } from '../../src/game/rules.js';
import { inPlay, seatedGame, tracking } from './helpers.js';

const serve = (state: GameState, player: 1 | 2) => applyCommand(state, { kind: 'serve', player }).state;

/** Ball about to enter the left goal with p1's paddle out of the way. */
function p1Misses(state: GameState): GameState {
  return {
    ...state,
    servingPlayer: null,
    autoServeTick: null,
    ball: { x: 0.5, y: 11, dx: -0.8, dy: 0 },
    paddles: { ...state.paddles, p1: { y: 0, targetY: 0 } },
  };
}

function p2Misses(state: GameState): GameState {
  return {
    ...state,
    servingPlayer: null,
    autoServeTick: null,
    ball: { x: 39.5, y: 11, dx: 0.8, dy: 0 },
    paddles: { ...state.paddles, p2: { y: 0, targetY: 0 } },
  };
}

describe('joining', () => {
  it('waits until both seats are taken, then p1 serves', () => {
    let state = createGame();
    expect(state.status).toBe('waiting');
    state = applyCommand(state, { kind: 'join', player: 2 }).state;
    expect(state.status).toBe('waiting');
    state = step(state, { commands: [{ kind: 'join', player: 1 }] });
    expect(state.status).toBe('playing');
    expect(state.servingPlayer).toBe(1);
    expect(state.ball).toEqual(heldBall(state, 1));
  });

  it('pauses when a player leaves and resumes with the score intact', () => {
    let state = p1Misses(seatedGame());
    state = step(state);
    expect(state.score).toEqual({ p1: 0, p2: 1 });
    state = applyCommand(state, { kind: 'leave', player: 2 }).state;
    expect(state.status).toBe('paused');
    expect(state.autoServeTick).toBeNull();
    const frozen = state.ball;
    for (let i = 0; i < 500; i++) state = step(state);
    expect(state.ball).toEqual(frozen);
    expect(state.status).toBe('paused');
    state = applyCommand(state, { kind: 'join', player: 2 }).state;
    expect(state.status).toBe('playing');
    expect(state.score).toEqual({ p1: 0, p2: 1 });
    expect(state.servingPlayer).toBe(1);
    expect(state.autoServeTick).toBe(state.tick + state.config.autoServeTicks);
  });
});

describe('scoring and serving', () => {
  it('scores a ball past the goal line and gives the serve to the player scored on', () => {
    let state = step(p1Misses(seatedGame()));
    expect(state.score).toEqual({ p1: 0, p2: 1 });
    expect(state.status).toBe('playing');
    expect(state.servingPlayer).toBe(1);
    expect(state.ball).toEqual(heldBall(state, 1));

    state = step(p2Misses(state));
    expect(state.score).toEqual({ p1: 1, p2: 1 });
    expect(state.servingPlayer).toBe(2);
    expect(state.ball.x).toBeCloseTo(paddleFaceX(state.config, 2) - state.config.ballRadius, 12);
  });

  it('keeps the held ball on the serving paddle as it moves', () => {
    let state = seatedGame();
    state = step(state, { paddles: { p1: 0 } });
    expect(state.ball.y).toBeCloseTo(state.paddles.p1.y + 1.5, 12);
    expect(state.ball.dx).toBe(0);
  });

  it('lets only the serving player serve', () => {
    const state = step(p2Misses(seatedGame()));
    expect(state.servingPlayer).toBe(2);
    const ignored = serve(state, 1);
    expect(ignored).toBe(state);
    const served = serve(state, 2);
    expect(served.servingPlayer).toBeNull();
    expect(served.ball.dx).toBeLessThan(0);
    expect(Math.hypot(served.ball.dx, served.ball.dy)).toBeCloseTo(state.config.serveSpeed, 12);
    expect(serve(served, 2)).toBe(served);
  });

  it('serves automatically once the delay has passed', () => {
    let state = seatedGame({ autoServeTicks: 30 });
    for (let i = 0; i < 29; i++) state = step(state);
    expect(state.servingPlayer).toBe(1);
    const result = advance(state);
    expect(result.events).toContainEqual({ type: 'serve', player: 1, auto: true });
    expect(result.state.servingPlayer).toBeNull();
    expect(result.state.ball.dx).toBeGreaterThan(0);
  });

  it('is deterministic for a given seed', () => {
    const play = () => {
      let state = seatedGame({}, 42);
      for (let i = 0; i < 2000; i++) state = step(state, { paddles: { p1: tracking(state), p2: 0 } });
      return state;
    };
    expect(play()).toEqual(play());
  });
});

describe('a rally', () => {
  it('gets faster with every paddle hit and never beyond the cap', () => {
    let state = serve(seatedGame(), 1);
    const speeds: number[] = [];
    for (let i = 0; i < 5000 && state.servingPlayer === null; i++) {
      const result = advance(state, { paddles: { p1: tracking(state), p2: tracking(state) } });
      for (const event of result.events) if (event.type === 'paddle') speeds.push(event.speed);
      state = result.state;
    }
    expect(state.score).toEqual({ p1: 0, p2: 0 });
    expect(speeds.length).toBeGreaterThan(30);
    const { serveSpeed, speedUpPerHit, maxSpeed } = state.config;
    expect(speeds[0]).toBeCloseTo(serveSpeed * speedUpPerHit, 9);
    for (let i = 1; i < speeds.length; i++) {
      expect(speeds[i]).toBeCloseTo(Math.min(speeds[i - 1]! * speedUpPerHit, maxSpeed), 9);
    }
    expect(speeds.at(-1)).toBeCloseTo(maxSpeed, 9);
    expect(state.rallyHits).toBe(speeds.length);
  });

  it('starts the next rally at serve speed again', () => {
    let state = inPlay({ x: 1, y: 11, dx: -1.2, dy: 0 }, { p1: 0, p2: 4 });
    state = serve(step(state), 1);
    expect(Math.hypot(state.ball.dx, state.ball.dy)).toBeCloseTo(state.config.serveSpeed, 12);
  });
});

describe('winning and starting over', () => {
  function playTo(state: GameState, misses: (s: GameState) => GameState, points: number): GameState {
    let next = state;
    for (let i = 0; i < points; i++) next = step(misses(next));
    return next;
  }

  it('ends at pointsToWin with the winner set', () => {
    let state = playTo(seatedGame({ pointsToWin: 3 }), p2Misses, 2);
    expect(state.status).toBe('playing');
    state = step(p2Misses(state));
    expect(state.status).toBe('ended');
    expect(state.winner).toBe(1);
    expect(state.score).toEqual({ p1: 3, p2: 0 });
    expect(state.servingPlayer).toBeNull();
    const frozen = state.ball;
    expect(step(state).ball).toEqual(frozen);
  });

  it('restarts at once on either player’s restart, and only after the end', () => {
    const midGame = playTo(seatedGame({ pointsToWin: 3 }), p2Misses, 2);
    expect(applyCommand(midGame, { kind: 'restart', player: 2 }).state.score).toEqual({ p1: 2, p2: 0 });

    const ended = step(p2Misses(midGame));
    const restarted = applyCommand(ended, { kind: 'restart', player: 2 }).state;
    expect(restarted.status).toBe('playing');
    expect(restarted.score).toEqual({ p1: 0, p2: 0 });
    expect(restarted.winner).toBeNull();
    expect(restarted.servingPlayer).toBe(1);
  });

  it('restarts once both players are ready', () => {
    const ended = playTo(seatedGame({ pointsToWin: 2 }), p1Misses, 2);
    expect(ended.winner).toBe(2);
    const one = applyCommand(ended, { kind: 'ready', player: 1 }).state;
    expect(one.status).toBe('ended');
    expect(applyCommand(one, { kind: 'ready', player: 1 }).state.status).toBe('ended');
    const both = applyCommand(one, { kind: 'ready', player: 2 }).state;
    expect(both.status).toBe('playing');
    expect(both.score).toEqual({ p1: 0, p2: 0 });
    expect(both.ready).toEqual({ p1: false, p2: false });
  });

  it('ignores restart from an empty seat and waits for a missing player', () => {
    let ended = playTo(seatedGame({ pointsToWin: 1 }), p1Misses, 1);
    ended = applyCommand(ended, { kind: 'leave', player: 1 }).state;
    expect(ended.status).toBe('ended');
    expect(applyCommand(ended, { kind: 'restart', player: 1 }).state).toBe(ended);
    const fresh = applyCommand(ended, { kind: 'restart', player: 2 }).state;
    expect(fresh.status).toBe('waiting');
    expect(fresh.score).toEqual({ p1: 0, p2: 0 });
    expect(applyCommand(fresh, { kind: 'join', player: 1 }).state.status).toBe('playing');
  });
});

describe('paddles', () => {
  it('clamp to the court and move at most the max speed per tick', () => {
    let state = seatedGame();
    const { paddleMaxSpeed, height, paddleHeight } = state.config;
    const start = state.paddles.p2.y;
    state = step(state, { paddles: { p2: 100 } });
    expect(state.paddles.p2.y).toBeCloseTo(start + paddleMaxSpeed, 12);
    expect(state.paddles.p2.targetY).toBe(height - paddleHeight);
    for (let i = 0; i < 20; i++) state = step(state);
    expect(state.paddles.p2.y).toBe(height - paddleHeight);
    state = step(state, { paddles: { p2: -50 } });
    expect(state.paddles.p2.y).toBeCloseTo(height - paddleHeight - paddleMaxSpeed, 12);
    for (let i = 0; i < 20; i++) state = step(state);
    expect(state.paddles.p2.y).toBe(0);
  });

  it('reach a near target exactly and ignore a non-number', () => {
    let state = step(seatedGame(), { paddles: { p1: 5 } });
    expect(state.paddles.p1.y).toBe(5);
    state = step(state, { paddles: { p1: Number.NaN } });
    expect(state.paddles.p1).toEqual({ y: 5, targetY: 5 });
  });
});
