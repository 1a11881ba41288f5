import type { GameConfig } from '../../src/game/config.js';
import { createGame, type Ball, type GameState } from '../../src/game/model.js';
import { applyCommand } from '../../src/game/rules.js';

/** Both players seated, p1 about to serve. */
export function seatedGame(overrides: Partial<GameConfig> = {}, seed = 7): GameState {
  let state = createGame(overrides, seed);
  state = applyCommand(state, { kind: 'join', player: 1 }).state;
  state = applyCommand(state, { kind: 'join', player: 2 }).state;
  return state;
}

/** A game with the ball in flight exactly as given and the paddles where asked. */
export function inPlay(
  ball: Ball,
  paddles: { p1: number; p2: number },
  overrides: Partial<GameConfig> = {},
): GameState {
  const state = seatedGame(overrides);
  return {
    ...state,
    servingPlayer: null,
    autoServeTick: null,
    ball,
    paddles: { p1: { y: paddles.p1, targetY: paddles.p1 }, p2: { y: paddles.p2, targetY: paddles.p2 } },
  };
}

/** Paddle target that centres a paddle on the ball. */
export function tracking(state: GameState): number {
  return state.ball.y - state.config.paddleHeight / 2;
}
