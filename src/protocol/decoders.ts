/**
 * One decoder per payload shape, made of the field primitives: each returns a fresh object
 * holding only the fields it knows (so `__proto__`, huge extra fields or anything else hostile
 * goes no further than here), or throws a Reject with the reason. Which topic carries which
 * shape is the message registry's (registry.ts).
 *
 * Paddle positions are clamped when they stray at most PADDLE_Y_TOLERANCE beyond the court and
 * rejected beyond that: clients compute y from key-repeat timing and terminal cells, so a top
 * edge of -0.0001 or 9.02 is rounding that must not cost the player the move, while y = 40 is a
 * broken or hostile client whose message should be dropped and counted, not silently pinned to
 * the wall. Ball positions are never clamped: between a missed paddle and the point being scored
 * the server legitimately reports the ball past the court's edge, and a viewer must see that.
 */
import { CLIENT_ID_PATTERN, COURT_HEIGHT, COURT_WIDTH, MAX_TIMESTAMP, PADDLE_HEIGHT } from './constants.js';
import {
  boolean,
  COUNTER_KEY_PATTERN,
  decodeRecord,
  field,
  inRange,
  integer,
  isPlainObject,
  NAME_PATTERN,
  player,
  present,
  reject,
  seq,
  string,
  timestamp,
  token,
  TRANSPORT_PATTERN,
  type Obj,
} from './fields.js';
import type {
  AckMessage,
  ArrivingBall,
  CommandMessage,
  CourtSize,
  GameStatus,
  JoinMessage,
  LatencySummary,
  PaddleMessage,
  PeerLatencyStats,
  PlayerNumber,
  StateMessage,
  StatsMessage,
  WatcherStatsMessage,
  SeatMessage,
  LeaveMessage,
} from './messages.js';

/** How far (court units) a paddle top may stray outside [0, COURT_HEIGHT - PADDLE_HEIGHT] and still be clamped. */
export const PADDLE_Y_TOLERANCE = 0.5;
/** How far the ball's centre may be reported outside the court (it flies past a missed paddle). */
export const BALL_MARGIN = 4;
/** Velocity bound, court units per tick; generous so a sender using units per second also passes. */
export const MAX_BALL_VELOCITY = 100;
export const MAX_SCORE = 999;
export const MAX_NAME_LENGTH = 32;
/** Round trips, jitter and offsets in stats beyond a day are not measurements. */
const MAX_STAT_MS = 86_400_000;
const MAX_COURT_DIMENSION = 1000;
const MAX_WATCHERS = 256;
const MAX_DROPPED_KEYS = 256;

const STATUSES: ReadonlySet<string> = new Set<GameStatus>(['waiting', 'playing', 'paused', 'ended']);

function paddleY(v: unknown): number {
  const max = COURT_HEIGHT - PADDLE_HEIGHT;
  const y = inRange(v, -PADDLE_Y_TOLERANCE, max + PADDLE_Y_TOLERANCE);
  return Math.min(max, Math.max(0, y));
}

/** A classic server's frames have no `seq` (its clients number them on arrival) and no paddles. */
export function decodeBall(o: Obj): ArrivingBall {
  const ball: ArrivingBall = {
    x: inRange(field(o, 'x'), -BALL_MARGIN, COURT_WIDTH + BALL_MARGIN),
    y: inRange(field(o, 'y'), -BALL_MARGIN, COURT_HEIGHT + BALL_MARGIN),
    dx: inRange(field(o, 'dx'), -MAX_BALL_VELOCITY, MAX_BALL_VELOCITY),
    dy: inRange(field(o, 'dy'), -MAX_BALL_VELOCITY, MAX_BALL_VELOCITY),
    timestamp: timestamp(field(o, 'timestamp')),
  };
  if (present(o, 'seq')) ball.seq = seq(o.seq);
  if (present(o, 'p1y')) ball.p1y = paddleY(o.p1y);
  if (present(o, 'p2y')) ball.p2y = paddleY(o.p2y);
  return ball;
}

export function decodePaddle(o: Obj): PaddleMessage {
  const paddle: PaddleMessage = { y: paddleY(field(o, 'y')), timestamp: timestamp(field(o, 'timestamp')) };
  if (present(o, 'seq')) paddle.seq = seq(o.seq);
  if (present(o, 'token')) paddle.token = token(o.token);
  return paddle;
}

export function decodeAck(o: Obj): AckMessage {
  return {
    seq: seq(field(o, 'seq')),
    timestamp: timestamp(field(o, 'timestamp')),
    rx: timestamp(field(o, 'rx')),
  };
}

function decodeCourt(v: unknown): CourtSize {
  if (!isPlainObject(v)) reject('bad-field');
  return {
    width: positiveDimension(field(v, 'width')),
    height: positiveDimension(field(v, 'height')),
    paddleHeight: positiveDimension(field(v, 'paddleHeight')),
  };
}

function positiveDimension(v: unknown): number {
  const n = inRange(v, 0, MAX_COURT_DIMENSION);
  if (n === 0) reject('out-of-range');
  return n;
}

export function decodeState(o: Obj): StateMessage {
  const status = field(o, 'status');
  if (typeof status !== 'string' || !STATUSES.has(status)) reject('bad-field');
  const serving = field(o, 'servingPlayer');
  const state: StateMessage = {
    status: status as GameStatus,
    p1Score: integer(field(o, 'p1Score'), 0, MAX_SCORE),
    p2Score: integer(field(o, 'p2Score'), 0, MAX_SCORE),
    servingPlayer: serving === null ? null : player(serving),
    timestamp: timestamp(field(o, 'timestamp')),
  };
  if (field(o, 'winner') === null) state.winner = null;
  else if (present(o, 'winner')) state.winner = player(o.winner);
  if (present(o, 'players')) {
    const p = o.players;
    if (!isPlainObject(p)) reject('bad-field');
    state.players = { p1: boolean(field(p, 'p1')), p2: boolean(field(p, 'p2')) };
  }
  if (present(o, 'court')) state.court = decodeCourt(o.court);
  if (present(o, 'pointsToWin')) state.pointsToWin = integer(o.pointsToWin, 1, MAX_SCORE);
  if (field(o, 'autoServeAt') === null) state.autoServeAt = null;
  else if (present(o, 'autoServeAt')) state.autoServeAt = timestamp(o.autoServeAt);
  if (present(o, 'rev')) state.rev = seq(o.rev);
  if (present(o, 'missing')) state.missing = missingPlayers(o.missing);
  if (field(o, 'forfeitAt') === null) state.forfeitAt = null;
  else if (present(o, 'forfeitAt')) state.forfeitAt = timestamp(o.forfeitAt);
  if (present(o, 'forfeit')) state.forfeit = boolean(o.forfeit);
  if (present(o, 'fence')) state.fence = seq(o.fence);
  return state;
}

function missingPlayers(v: unknown): PlayerNumber[] {
  if (!Array.isArray(v)) reject('bad-field');
  if (v.length > 2) reject('out-of-range');
  const players = v.map(player);
  if (players.length === 2 && players[0] === players[1]) reject('bad-field');
  return players;
}

export function decodeJoin(o: Obj): JoinMessage {
  const join: JoinMessage = { timestamp: timestamp(field(o, 'timestamp')) };
  if (present(o, 'player')) join.player = player(o.player);
  if (present(o, 'clientId')) join.clientId = string(o.clientId, 64, CLIENT_ID_PATTERN);
  if (present(o, 'name')) join.name = string(o.name, MAX_NAME_LENGTH, NAME_PATTERN);
  if (present(o, 'spectator')) join.spectator = boolean(o.spectator);
  if (present(o, 'transport')) join.transport = string(o.transport, 16, TRANSPORT_PATTERN);
  if (present(o, 'token')) join.token = token(o.token);
  // A join that names neither a seat nor spectating asks for nothing the room could grant.
  if (join.player === undefined && join.spectator !== true) reject('bad-field');
  return join;
}


/** A classic client's `restart` names no player: the room counts it for the sender's seat. */
export function decodeCommand(o: Obj): CommandMessage {
  const command: CommandMessage = { timestamp: timestamp(field(o, 'timestamp')) };
  if (present(o, 'player')) command.player = player(o.player);
  if (present(o, 'token')) command.token = token(o.token);
  return command;
}

export function decodeSeat(o: Obj): SeatMessage {
  const seat: SeatMessage = {
    player: player(field(o, 'player')),
    granted: boolean(field(o, 'granted')),
    timestamp: timestamp(field(o, 'timestamp')),
  };
  if (present(o, 'token')) seat.token = token(o.token);
  if (present(o, 'tokenInMessages')) seat.tokenInMessages = boolean(o.tokenInMessages);
  if (present(o, 'reason')) seat.reason = string(o.reason, 120, NAME_PATTERN);
  return seat;
}

export function decodeLeave(o: Obj): LeaveMessage {
  const leave: LeaveMessage = { player: player(field(o, 'player')), timestamp: timestamp(field(o, 'timestamp')) };
  if (present(o, 'clientId')) leave.clientId = string(o.clientId, 64, CLIENT_ID_PATTERN);
  if (present(o, 'token')) leave.token = token(o.token);
  if (present(o, 'reason')) leave.reason = string(o.reason, 120, NAME_PATTERN);
  return leave;
}

function statMs(v: unknown): number {
  return inRange(v, 0, MAX_STAT_MS);
}

function decodeSummary(v: unknown): LatencySummary {
  if (!isPlainObject(v)) reject('bad-field');
  return {
    last: statMs(field(v, 'last')),
    min: statMs(field(v, 'min')),
    mean: statMs(field(v, 'mean')),
    p50: statMs(field(v, 'p50')),
    p95: statMs(field(v, 'p95')),
    p99: statMs(field(v, 'p99')),
    max: statMs(field(v, 'max')),
  };
}

function decodePeerStats(v: unknown): PeerLatencyStats {
  if (!isPlainObject(v)) reject('bad-field');
  const stats: PeerLatencyStats = {
    samples: integer(field(v, 'samples'), 0, Number.MAX_SAFE_INTEGER),
    rtt: decodeSummary(field(v, 'rtt')),
    jitter: statMs(field(v, 'jitter')),
    // Offsets are differences of two epoch clocks, so either sign up to a full timestamp.
    offset: inRange(field(v, 'offset'), -MAX_TIMESTAMP, MAX_TIMESTAMP),
    framesLost: integer(field(v, 'framesLost'), 0, Number.MAX_SAFE_INTEGER),
  };
  if (present(v, 'transport')) stats.transport = string(v.transport, 16, TRANSPORT_PATTERN);
  return stats;
}

export function decodeStats(o: Obj): StatsMessage {
  const stats: StatsMessage = { timestamp: timestamp(field(o, 'timestamp')) };
  if (present(o, 'p1')) stats.p1 = decodePeerStats(o.p1);
  if (present(o, 'p2')) stats.p2 = decodePeerStats(o.p2);
  if (present(o, 'watchers')) stats.watchers = integer(o.watchers, 0, MAX_WATCHERS);
  if (present(o, 'dropped')) {
    stats.dropped = decodeRecord(o.dropped, MAX_DROPPED_KEYS, COUNTER_KEY_PATTERN, (n) =>
      integer(n, 0, Number.MAX_SAFE_INTEGER),
    );
  }
  if (present(o, 'tick')) {
    const t = o.tick;
    if (!isPlainObject(t)) reject('bad-field');
    stats.tick = { hz: inRange(field(t, 'hz'), 0, 10_000), errorP99: statMs(field(t, 'errorP99')) };
  }
  return stats;
}


export function decodeWatcherStats(o: Obj): WatcherStatsMessage {
  return { ...decodePeerStats(o), timestamp: timestamp(field(o, 'timestamp')) };
}
