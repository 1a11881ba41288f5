/**
 * The game state as it goes on the wire: the classic demo's field names, numbers rounded so a
 * frame stays short and readable in mosquitto_sub (a millimetre of court is invisible on any
 * terminal; a microsecond is below any latency we report).
 */
import type { BallMessage, PlayerNumber, StateMessage } from '../protocol/messages.js';
import { decimalText } from '../protocol/decimal-text.js';
import type { GameState } from './model.js';

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  // -0 would print as 0 anyway; normalising keeps deep-equality in tests honest.
  return rounded === 0 ? 0 : rounded;
}

export function ballFrame(state: GameState, seq: number, timestamp: number): BallMessage {
  const { ball, paddles } = state;
  return {
    x: round(ball.x, 3),
    y: round(ball.y, 3),
    dx: round(ball.dx, 4),
    dy: round(ball.dy, 4),
    timestamp: round(timestamp, 3),
    seq,
    p1y: round(paddles.p1.y, 3),
    p2y: round(paddles.p2.y, 3),
  };
}

/**
 * The ball frame as JSON text, exactly as JSON.stringify(ballFrame(...)) would write it, with
 * the clock read last: `timestamp` is the frame's send time, and the work of writing the rest
 * (cold code at the start of every tick, tens of microseconds here) is not network latency.
 */
export function ballFrameText(state: GameState, seq: number, clock: () => number): string {
  // The rounding rules of ballFrame, written straight to text (see decimal-text.ts).
  const { ball, paddles } = state;
  const head = `{"x":${decimalText(ball.x, 3)},"y":${decimalText(ball.y, 3)},"dx":${decimalText(ball.dx, 4)},"dy":${decimalText(ball.dy, 4)},"timestamp":`;
  const tail = `,"seq":${decimalText(seq, 0)},"p1y":${decimalText(paddles.p1.y, 3)},"p2y":${decimalText(paddles.p2.y, 3)}}`;
  return head + decimalText(clock(), 3) + tail;
}

/** Epoch ms of the pending auto-serve, from the tick it is due and the time of `now`'s tick. */
export function autoServeAt(state: GameState, now: number): number | null {
  if (state.autoServeTick === null) return null;
  return round(now + ((state.autoServeTick - state.tick) * 1000) / state.config.fps, 3);
}

/** Who the room is keeping a seat for, and until when (see SeatBook). */
export interface Absence {
  missing: PlayerNumber[];
  forfeitAt: number | null;
}

export const NOBODY_MISSING: Absence = { missing: [], forfeitAt: null };

export function stateMessage(state: GameState, timestamp: number, rev: number, absence: Absence = NOBODY_MISSING): StateMessage {
  const { config } = state;
  return {
    status: state.status,
    p1Score: state.score.p1,
    p2Score: state.score.p2,
    servingPlayer: state.servingPlayer,
    timestamp: round(timestamp, 3),
    winner: state.winner,
    players: { p1: state.present.p1, p2: state.present.p2 },
    court: { width: config.width, height: config.height, paddleHeight: config.paddleHeight },
    pointsToWin: config.pointsToWin,
    autoServeAt: autoServeAt(state, timestamp),
    rev,
    missing: absence.missing,
    forfeitAt: absence.forfeitAt === null ? null : round(absence.forfeitAt, 3),
    forfeit: state.forfeit,
  };
}

/**
 * What makes a new state message worth publishing: anything a client shows or acts on. GameRoom
 * skips building it while none of these inputs changed (its keyInputs): a new one goes there too.
 */
export function stateKey(state: GameState, absence: Absence = NOBODY_MISSING): string {
  return [
    absence.missing.join(','),
    absence.forfeitAt,
    state.forfeit,
    state.status,
    state.score.p1,
    state.score.p2,
    state.servingPlayer,
    state.winner,
    state.present.p1,
    state.present.p2,
    state.autoServeTick,
  ].join('|');
}
