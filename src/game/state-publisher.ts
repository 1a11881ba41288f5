/**
 * The retained `state` of one game, published when something a client shows or acts on has
 * changed. What counts as a change is the message's own fields: the message is built from a
 * StateFields and nothing else (besides the game's fixed settings and the time), so a field
 * added to the message is a field compared, and the two cannot drift apart.
 */
import type { BusView } from '../bus/bus.js';
import type { PlayerNumber, StateMessage } from '../protocol/messages.js';
import { topics } from '../protocol/topics.js';
import type { GameState } from './model.js';
import type { SeatBook } from './seat-book.js';
import { round } from './wire.js';

/** Everything a state message says, as plain values; compared field by field, tick by tick. */
export interface StateFields {
  status: GameState['status'];
  p1Score: number;
  p2Score: number;
  servingPlayer: PlayerNumber | null;
  winner: PlayerNumber | null;
  p1Present: boolean;
  p2Present: boolean;
  /** The tick the pending auto-serve is due (the message says when, in epoch ms). */
  autoServeTick: number | null;
  forfeit: boolean;
  /** When each absent holder went away, their seat kept (the message says who and until when). */
  p1GoneAt: number | null;
  p2GoneAt: number | null;
}

export function stateFieldsOf(game: GameState, seats: Pick<SeatBook, 'goneAt'>): StateFields {
  return {
    status: game.status,
    p1Score: game.score.p1,
    p2Score: game.score.p2,
    servingPlayer: game.servingPlayer,
    winner: game.winner,
    p1Present: game.present.p1,
    p2Present: game.present.p2,
    autoServeTick: game.autoServeTick,
    forfeit: game.forfeit,
    p1GoneAt: seats.goneAt(1),
    p2GoneAt: seats.goneAt(2),
  };
}

export function sameFields(a: StateFields, b: StateFields): boolean {
  for (const key of Object.keys(a) as Array<keyof StateFields>) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * The message: `game` only for its fixed settings (court, match length) and the tick `now` is
 * at, from which the auto-serve's epoch time is told.
 */
export function stateMessage(fields: StateFields, game: GameState, forfeitAfterMs: number, now: number, rev: number): StateMessage {
  const { config } = game;
  const missing: PlayerNumber[] = [];
  if (fields.p1GoneAt !== null) missing.push(1);
  if (fields.p2GoneAt !== null) missing.push(2);
  const deadlines = [fields.p1GoneAt, fields.p2GoneAt].filter((at): at is number => at !== null).map((at) => at + forfeitAfterMs);
  return {
    status: fields.status,
    p1Score: fields.p1Score,
    p2Score: fields.p2Score,
    servingPlayer: fields.servingPlayer,
    timestamp: round(now, 3),
    winner: fields.winner,
    players: { p1: fields.p1Present, p2: fields.p2Present },
    court: { width: config.width, height: config.height, paddleHeight: config.paddleHeight },
    pointsToWin: config.pointsToWin,
    autoServeAt: fields.autoServeTick === null ? null : round(now + ((fields.autoServeTick - game.tick) * 1000) / config.fps, 3),
    rev,
    missing,
    forfeitAt: deadlines.length === 0 ? null : round(Math.min(...deadlines), 3),
    forfeit: fields.forfeit,
  };
}

export class StatePublisher {
  private published: StateFields | null = null;
  private revision: number;

  constructor(
    private readonly bus: Pick<BusView, 'publish'>,
    private readonly gameId: string,
    private readonly forfeitAfterMs: number,
    /** The first rev is this plus one: a restored game keeps counting from where it was. */
    rev = 0,
    /** The owner's fencing number in cluster mode, said in every state; absent otherwise. */
    private readonly fence?: number,
  ) {
    this.revision = rev;
  }

  /** The rev of the last state published. */
  get rev(): number {
    return this.revision;
  }

  /** Publishes when any field differs from the last message's; true if it did. */
  publishIfChanged(game: GameState, seats: Pick<SeatBook, 'goneAt'>, now: number): boolean {
    const fields = stateFieldsOf(game, seats);
    if (this.published !== null && sameFields(fields, this.published)) return false;
    this.publish(fields, game, now);
    return true;
  }

  /** Publishes whatever the fields are. */
  publishNow(game: GameState, seats: Pick<SeatBook, 'goneAt'>, now: number): void {
    this.publish(stateFieldsOf(game, seats), game, now);
  }

  private publish(fields: StateFields, game: GameState, now: number): void {
    this.published = fields;
    this.revision += 1;
    const message = stateMessage(fields, game, this.forfeitAfterMs, now, this.revision);
    if (this.fence !== undefined) message.fence = this.fence;
    this.bus.publish(topics.state(this.gameId), JSON.stringify(message), { qos: 1, retain: true });
  }
}
