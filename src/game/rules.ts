/**
 * The rules of a match as pure functions of the game state: who may do what, serving,
 * scoring, winning, pausing when a player drops and starting over. `step` is the whole game
 * at one fixed tick; it reads no clock and keeps its randomness in the state.
 */
import type { PlayerNumber } from '../protocol/messages.js';
import { paddleFaceX } from './config.js';
import {
  centredBall,
  opponent,
  seat,
  type Ball,
  type Command,
  type GameEvent,
  type GameState,
  type TickInputs,
} from './model.js';
import { movePaddle, withTarget } from './paddle.js';
import { sweepBall } from './physics.js';
import { nextRandom } from './random.js';

export interface StepResult {
  state: GameState;
  events: GameEvent[];
}

/** Where the ball waits for a serve: touching the server's paddle face, at its middle. */
export function heldBall(state: GameState, player: PlayerNumber): Ball {
  const { config } = state;
  const face = paddleFaceX(config, player);
  const x = player === 1 ? face + config.ballRadius : face - config.ballRadius;
  return { x, y: state.paddles[seat(player)].y + config.paddleHeight / 2, dx: 0, dy: 0 };
}

function awaitServe(state: GameState, player: PlayerNumber): GameState {
  return {
    ...state,
    servingPlayer: player,
    autoServeTick: state.tick + state.config.autoServeTicks,
    ball: heldBall(state, player),
    rallyHits: 0,
  };
}

function launch(state: GameState, player: PlayerNumber): GameState {
  const { config } = state;
  const random = nextRandom(state.rng);
  const angle = (random.value * 2 - 1) * config.serveMaxAngle;
  const direction = player === 1 ? 1 : -1;
  const from = heldBall(state, player);
  return {
    ...state,
    rng: random.seed,
    servingPlayer: null,
    autoServeTick: null,
    rallyHits: 0,
    ball: {
      x: from.x,
      y: from.y,
      dx: direction * config.serveSpeed * Math.cos(angle),
      dy: config.serveSpeed * Math.sin(angle),
    },
  };
}

/** A new match between whoever is seated; p1 serves first, as in the classic demo. */
function freshMatch(state: GameState): StepResult {
  const reset: GameState = {
    ...state,
    status: 'waiting',
    score: { p1: 0, p2: 0 },
    winner: null,
    forfeit: false,
    servingPlayer: null,
    autoServeTick: null,
    ready: { p1: false, p2: false },
    rallyHits: 0,
    ball: centredBall(state.config),
  };
  if (!(reset.present.p1 && reset.present.p2)) return { state: reset, events: [] };
  return { state: awaitServe({ ...reset, status: 'playing' }, 1), events: [{ type: 'start' }] };
}

export function applyCommand(state: GameState, command: Command): StepResult {
  const me = seat(command.player);
  switch (command.kind) {
    case 'join': {
      const joined: GameState = { ...state, present: { ...state.present, [me]: true } };
      if (!(joined.present.p1 && joined.present.p2)) return { state: joined, events: [] };
      if (joined.status === 'waiting') return freshMatch(joined);
      if (joined.status === 'paused') {
        const resumed: GameState = {
          ...joined,
          status: 'playing',
          // The serve clock restarts: the returning player gets the full delay to get ready.
          autoServeTick: joined.servingPlayer === null ? null : joined.tick + joined.config.autoServeTicks,
        };
        return { state: resumed, events: [{ type: 'resume' }] };
      }
      return { state: joined, events: [] };
    }
    case 'leave': {
      const left: GameState = {
        ...state,
        present: { ...state.present, [me]: false },
        ready: { ...state.ready, [me]: false },
      };
      if (left.status !== 'playing') return { state: left, events: [] };
      return { state: { ...left, status: 'paused', autoServeTick: null }, events: [{ type: 'pause' }] };
    }
    case 'serve':
      if (state.status !== 'playing' || state.servingPlayer !== command.player) return { state, events: [] };
      return { state: launch(state, command.player), events: [{ type: 'serve', player: command.player, auto: false }] };
    case 'restart':
      if (state.status !== 'ended' || !state.present[me]) return { state, events: [] };
      return freshMatch(state);
    case 'ready': {
      if (state.status !== 'ended' || !state.present[me]) return { state, events: [] };
      const voted: GameState = { ...state, ready: { ...state.ready, [me]: true } };
      return voted.ready.p1 && voted.ready.p2 ? freshMatch(voted) : { state: voted, events: [] };
    }
    case 'forfeit': {
      if (state.status !== 'playing' && state.status !== 'paused') return { state, events: [] };
      const winner = opponent(command.player);
      const ended: GameState = {
        ...state,
        status: 'ended',
        winner,
        forfeit: true,
        servingPlayer: null,
        autoServeTick: null,
        ball: centredBall(state.config),
        present: { ...state.present, [me]: false },
      };
      return { state: ended, events: [{ type: 'end', winner, forfeit: true }] };
    }
    case 'abandon': {
      const emptied = freshMatch({ ...state, present: { p1: false, p2: false } });
      return { state: emptied.state, events: [{ type: 'abandon' }] };
    }
  }
}

function score(state: GameState, scorer: PlayerNumber, ball: Ball): StepResult {
  const tally = { ...state.score, [seat(scorer)]: state.score[seat(scorer)] + 1 };
  const events: GameEvent[] = [{ type: 'score', scorer, score: tally }];
  const scored: GameState = { ...state, score: tally, ball };
  if (tally[seat(scorer)] >= state.config.pointsToWin) {
    events.push({ type: 'end', winner: scorer });
    return {
      state: {
        ...scored,
        status: 'ended',
        winner: scorer,
        servingPlayer: null,
        autoServeTick: null,
        ball: centredBall(state.config),
      },
      events,
    };
  }
  return { state: awaitServe(scored, opponent(scorer)), events };
}

function simulateBall(state: GameState): StepResult {
  if (state.status !== 'playing') return { state, events: [] };
  if (state.servingPlayer !== null) {
    const server = state.servingPlayer;
    if (state.autoServeTick !== null && state.tick >= state.autoServeTick) {
      return { state: launch(state, server), events: [{ type: 'serve', player: server, auto: true }] };
    }
    return { state: { ...state, ball: heldBall(state, server) }, events: [] };
  }
  const swept = sweepBall(state.ball, { p1: state.paddles.p1.y, p2: state.paddles.p2.y }, state.config);
  const moved: GameState = { ...state, ball: swept.ball, rallyHits: state.rallyHits + swept.paddleHits };
  if (swept.scorer === null) return { state: moved, events: swept.events };
  const scored = score(moved, swept.scorer, swept.ball);
  return { state: scored.state, events: [...swept.events, ...scored.events] };
}

// Shared by the ticks without input (nearly all of a server's): none of these is ever written.
const NO_INPUTS: TickInputs = Object.freeze({});
const NO_COMMANDS: readonly Command[] = Object.freeze([]);
const NO_TARGETS: NonNullable<TickInputs['paddles']> = Object.freeze({});

/** One fixed tick: commands in order, then paddle targets, paddle motion and the ball. */
export function advance(state: GameState, inputs: TickInputs = NO_INPUTS): StepResult {
  let events: GameEvent[] = [];
  let next = state;
  for (const command of inputs.commands ?? NO_COMMANDS) {
    const applied = applyCommand(next, command);
    next = applied.state;
    events.push(...applied.events);
  }
  const { config } = next;
  const targets = inputs.paddles ?? NO_TARGETS;
  const p1 = movePaddle(targets.p1 === undefined ? next.paddles.p1 : withTarget(next.paddles.p1, targets.p1, config), config);
  const p2 = movePaddle(targets.p2 === undefined ? next.paddles.p2 : withTarget(next.paddles.p2, targets.p2, config), config);
  next = {
    ...next,
    tick: next.tick + 1,
    // Paddles at rest (most ticks, for most games) keep their object.
    paddles: p1 === next.paddles.p1 && p2 === next.paddles.p2 ? next.paddles : { p1, p2 },
  };
  const simulated = simulateBall(next);
  if (events.length === 0) events = simulated.events;
  else events.push(...simulated.events);
  return { state: simulated.state, events };
}

export function step(state: GameState, inputs: TickInputs = NO_INPUTS): GameState {
  return advance(state, inputs).state;
}
