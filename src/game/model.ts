/**
 * The game's data: plain immutable values, so `step` can be pure and a test can build any
 * situation by hand.
 */
import type { GameStatus, PlayerNumber } from '../protocol/messages.js';
import { makeConfig, maxPaddleY, type GameConfig } from './config.js';

export interface Ball {
  /** Centre, court units. */
  x: number;
  y: number;
  /** Velocity, units per tick. */
  dx: number;
  dy: number;
}

export interface Paddle {
  /** Top edge. */
  y: number;
  /** Where the player asked it to be (already clamped); it travels there at a bounded speed. */
  targetY: number;
}

export interface Seats<T> {
  p1: T;
  p2: T;
}

export interface GameState {
  readonly config: GameConfig;
  tick: number;
  status: GameStatus;
  score: Seats<number>;
  /** Set while the ball is held at this player's paddle waiting for their serve. */
  servingPlayer: PlayerNumber | null;
  winner: PlayerNumber | null;
  /** The winner won because the other player did not come back in time. */
  forfeit: boolean;
  ball: Ball;
  paddles: Seats<Paddle>;
  present: Seats<boolean>;
  /** Ready-up votes after a game ended. */
  ready: Seats<boolean>;
  /** Tick at which the server serves on the serving player's behalf; null when nobody serves. */
  autoServeTick: number | null;
  /** Paddle hits in the current rally. */
  rallyHits: number;
  rng: number;
}

/**
 * `forfeit`: `player` did not come back in time and loses. `abandon`: neither came back, the
 * match is dropped and the court is empty again (`player` is ignored).
 */
export type CommandKind = 'join' | 'leave' | 'serve' | 'restart' | 'ready' | 'forfeit' | 'abandon';

export interface Command {
  kind: CommandKind;
  player: PlayerNumber;
}

export interface TickInputs {
  /** Requested paddle top edges; a missing seat keeps its previous target. */
  paddles?: Partial<Seats<number>>;
  /** Applied in order before the tick's physics. */
  commands?: readonly Command[];
}

export type GameEvent =
  | { type: 'wall'; y: number }
  | { type: 'paddle'; player: PlayerNumber; offset: number; speed: number }
  | { type: 'serve'; player: PlayerNumber; auto: boolean }
  | { type: 'score'; scorer: PlayerNumber; score: Seats<number> }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'end'; winner: PlayerNumber; forfeit?: boolean }
  | { type: 'abandon' };

export function seat(player: PlayerNumber): keyof Seats<unknown> {
  return player === 1 ? 'p1' : 'p2';
}

export function opponent(player: PlayerNumber): PlayerNumber {
  return player === 1 ? 2 : 1;
}

export function centredBall(config: GameConfig): Ball {
  return { x: config.width / 2, y: config.height / 2, dx: 0, dy: 0 };
}

export function createGame(overrides: Partial<GameConfig> = {}, seed = 1): GameState {
  const config = makeConfig(overrides);
  const mid = maxPaddleY(config) / 2;
  return {
    config,
    tick: 0,
    status: 'waiting',
    score: { p1: 0, p2: 0 },
    servingPlayer: null,
    winner: null,
    forfeit: false,
    ball: centredBall(config),
    paddles: { p1: { y: mid, targetY: mid }, p2: { y: mid, targetY: mid } },
    present: { p1: false, p2: false },
    ready: { p1: false, p2: false },
    autoServeTick: null,
    rallyHits: 0,
    rng: seed >>> 0,
  };
}
