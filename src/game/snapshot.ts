/**
 * What survives a server restart of one game in progress: the score, who serves next, the
 * match length and the seat tokens, so that the players' clients can re-join their seats and
 * play on. The ball and paddles are not kept: a rally in flight when the server died is
 * replayed, served by whoever served it.
 */
import type { PlayerNumber } from '../protocol/messages.js';
import { CLIENT_ID_PATTERN } from '../protocol/constants.js';
import { MAX_SCORE, TOKEN_PATTERN } from '../protocol/validate.js';
import type { GameState } from './model.js';
import { heldBall } from './rules.js';
import type { SavedSeat } from './seat-book.js';

export interface RoomSnapshot {
  p1Score: number;
  p2Score: number;
  servingPlayer: PlayerNumber;
  pointsToWin: number;
  /** The last state revision published, so revisions keep increasing across the restart. */
  rev: number;
  seats: Partial<Record<'p1' | 'p2', SavedSeat>>;
}

/** The restored game: paused with nobody seated, the ball held for the serve. */
export function gameFromSnapshot(fresh: GameState, snapshot: RoomSnapshot): GameState {
  const game: GameState = {
    ...fresh,
    status: 'paused',
    score: { p1: snapshot.p1Score, p2: snapshot.p2Score },
    servingPlayer: snapshot.servingPlayer,
    autoServeTick: null,
  };
  return { ...game, ball: heldBall(game, snapshot.servingPlayer) };
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(v: unknown, max: number): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? v : null;
}

function savedSeat(v: unknown): SavedSeat | null | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) return null;
  const { clientId, token } = v;
  if (typeof clientId !== 'string' || clientId.length > 64 || !CLIENT_ID_PATTERN.test(clientId)) return null;
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
  return { clientId, token };
}

/**
 * A snapshot read back from disk, checked like any other input: a file edited by hand or cut
 * short by a crash yields null, never a game in an impossible state.
 */
export function decodeSnapshot(v: unknown): RoomSnapshot | null {
  if (!isObject(v)) return null;
  const pointsToWin = count(v.pointsToWin, MAX_SCORE);
  const p1Score = count(v.p1Score, MAX_SCORE);
  const p2Score = count(v.p2Score, MAX_SCORE);
  const rev = count(v.rev, Number.MAX_SAFE_INTEGER);
  if (pointsToWin === null || pointsToWin < 1 || p1Score === null || p2Score === null || rev === null) return null;
  if (p1Score >= pointsToWin || p2Score >= pointsToWin) return null;
  if (v.servingPlayer !== 1 && v.servingPlayer !== 2) return null;
  if (!isObject(v.seats)) return null;
  const p1 = savedSeat(v.seats.p1);
  const p2 = savedSeat(v.seats.p2);
  if (p1 === null || p2 === null) return null;
  return {
    p1Score,
    p2Score,
    servingPlayer: v.servingPlayer,
    pointsToWin,
    rev,
    seats: { ...(p1 ? { p1 } : {}), ...(p2 ? { p2 } : {}) },
  };
}
