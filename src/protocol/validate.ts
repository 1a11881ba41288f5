/**
 * Decoding of every payload we receive. Everything off the wire is untrusted: a decoder never
 * throws, returns a fresh object holding only the fields it knows (so `__proto__`, huge extra
 * fields or anything else hostile goes no further than here), and says why it refused.
 *
 * Number rules: a field of the wrong JSON type, a string such as "NaN", a non-integer where an
 * integer is required or a string outside its charset is `bad-field`; a number of the right kind
 * but outside its bounds (1e308, a negative seq, player 3, a 500-character name) is `out-of-range`.
 *
 * Paddle positions are clamped when they stray at most PADDLE_Y_TOLERANCE beyond the court and
 * rejected beyond that: clients compute y from key-repeat timing and terminal cells, so a top
 * edge of -0.0001 or 9.02 is rounding that must not cost the player the move, while y = 40 is a
 * broken or hostile client whose message should be dropped and counted, not silently pinned to
 * the wall. Ball positions are never clamped: between a missed paddle and the point being scored
 * the server legitimately reports the ball past the court's edge, and a viewer must see that.
 */
import {
  CLIENT_ID_PATTERN,
  COURT_HEIGHT,
  COURT_WIDTH,
  MAX_PAYLOAD_BYTES,
  MAX_TIMESTAMP,
  PADDLE_HEIGHT,
} from './constants.js';
import { scanAck } from './ack-scan.js';
import type {
  AckMessage,
  BallMessage,
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

export interface PayloadByKind {
  ball: BallMessage;
  paddle: PaddleMessage;
  ack: AckMessage;
  state: StateMessage;
  join: JoinMessage;
  serve: CommandMessage;
  restart: CommandMessage;
  ready: CommandMessage;
  stats: StatsMessage;
  watcherAck: AckMessage;
  watcherStats: WatcherStatsMessage;
  seat: SeatMessage;
  leave: LeaveMessage;
}
export type PayloadKind = keyof PayloadByKind;
export type DropReason = 'too-large' | 'not-json' | 'not-object' | 'bad-field' | 'out-of-range';
/**
 * Why a well-formed message was still refused: it is for a seat the sender does not hold, or a
 * join would open a room past a limit (the server's, the client's or its address's).
 */
export type RefusalReason = 'bad-token' | 'seat-taken' | 'room-limit-total' | 'room-limit-client' | 'room-limit-address';
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: DropReason };

/** How far (court units) a paddle top may stray outside [0, COURT_HEIGHT - PADDLE_HEIGHT] and still be clamped. */
export const PADDLE_Y_TOLERANCE = 0.5;
/** How far the ball's centre may be reported outside the court (it flies past a missed paddle). */
export const BALL_MARGIN = 4;
/** Velocity bound, court units per tick; generous so a sender using units per second also passes. */
export const MAX_BALL_VELOCITY = 100;
export { MAX_TIMESTAMP };
export const MAX_SCORE = 999;
export const MAX_NAME_LENGTH = 32;
/** Round trips, jitter and offsets in stats beyond a day are not measurements. */
const MAX_STAT_MS = 86_400_000;
const MAX_COURT_DIMENSION = 1000;
const MAX_WATCHERS = 256;
const MAX_DROPPED_KEYS = 256;

const STATUSES: ReadonlySet<string> = new Set<GameStatus>(['waiting', 'playing', 'paused', 'ended']);
const TRANSPORT_PATTERN = /^[a-z0-9-]{1,16}$/;
const COUNTER_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/**
 * Names end up on a terminal: letters, marks, digits, punctuation, symbols and plain spaces
 * only, so no control characters, escape sequences or bidi overrides reach the screen.
 */
const NAME_PATTERN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;

type Obj = Record<string, unknown>;

/** Thrown only inside this module and always caught by decodePayload. */
class Reject {
  constructor(readonly reason: DropReason) {}
}

function reject(reason: DropReason): never {
  throw new Reject(reason);
}

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Optional fields: absent or null both mean "not given". */
function present(o: Obj, key: string): boolean {
  const v = field(o, key);
  return v !== undefined && v !== null;
}

function finite(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) reject('bad-field');
  return v;
}

function inRange(v: unknown, lo: number, hi: number): number {
  const n = finite(v);
  if (n < lo || n > hi) reject('out-of-range');
  return n;
}

function integer(v: unknown, lo: number, hi: number): number {
  const n = finite(v);
  if (n < lo || n > hi) reject('out-of-range');
  if (!Number.isInteger(n)) reject('bad-field');
  return n;
}

function timestamp(v: unknown): number {
  const n = finite(v);
  if (n <= 0 || n >= MAX_TIMESTAMP) reject('out-of-range');
  return n;
}

function seq(v: unknown): number {
  return integer(v, 0, Number.MAX_SAFE_INTEGER);
}

function player(v: unknown): PlayerNumber {
  const n = finite(v);
  if (!Number.isInteger(n)) reject('bad-field');
  if (n !== 1 && n !== 2) reject('out-of-range');
  return n;
}

function boolean(v: unknown): boolean {
  if (typeof v !== 'boolean') reject('bad-field');
  return v;
}

function string(v: unknown, maxLength: number, pattern: RegExp): string {
  if (typeof v !== 'string') reject('bad-field');
  if (v.length > maxLength) reject('out-of-range');
  if (!pattern.test(v)) reject('bad-field');
  return v;
}

function paddleY(v: unknown): number {
  const max = COURT_HEIGHT - PADDLE_HEIGHT;
  const y = inRange(v, -PADDLE_Y_TOLERANCE, max + PADDLE_Y_TOLERANCE);
  return Math.min(max, Math.max(0, y));
}

function decodeBall(o: Obj): BallMessage {
  const ball: BallMessage = {
    x: inRange(field(o, 'x'), -BALL_MARGIN, COURT_WIDTH + BALL_MARGIN),
    y: inRange(field(o, 'y'), -BALL_MARGIN, COURT_HEIGHT + BALL_MARGIN),
    dx: inRange(field(o, 'dx'), -MAX_BALL_VELOCITY, MAX_BALL_VELOCITY),
    dy: inRange(field(o, 'dy'), -MAX_BALL_VELOCITY, MAX_BALL_VELOCITY),
    timestamp: timestamp(field(o, 'timestamp')),
    seq: seq(field(o, 'seq')),
  };
  if (present(o, 'p1y')) ball.p1y = paddleY(o.p1y);
  if (present(o, 'p2y')) ball.p2y = paddleY(o.p2y);
  return ball;
}

function decodePaddle(o: Obj): PaddleMessage {
  const paddle: PaddleMessage = { y: paddleY(field(o, 'y')), timestamp: timestamp(field(o, 'timestamp')) };
  if (present(o, 'seq')) paddle.seq = seq(o.seq);
  if (present(o, 'token')) paddle.token = token(o.token);
  return paddle;
}

function decodeAck(o: Obj): AckMessage {
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

function decodeState(o: Obj): StateMessage {
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
  return state;
}

function missingPlayers(v: unknown): PlayerNumber[] {
  if (!Array.isArray(v)) reject('bad-field');
  if (v.length > 2) reject('out-of-range');
  const players = v.map(player);
  if (players.length === 2 && players[0] === players[1]) reject('bad-field');
  return players;
}

function decodeJoin(o: Obj): JoinMessage {
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

/** Seat tokens are opaque to clients: URL-safe characters, bounded. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

function token(v: unknown): string {
  return string(v, 64, TOKEN_PATTERN);
}

function decodeCommand(o: Obj): CommandMessage {
  const command: CommandMessage = { player: player(field(o, 'player')), timestamp: timestamp(field(o, 'timestamp')) };
  if (present(o, 'token')) command.token = token(o.token);
  return command;
}

function decodeSeat(o: Obj): SeatMessage {
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

function decodeLeave(o: Obj): LeaveMessage {
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

/**
 * Object.fromEntries defines own data properties, so a key such as "__proto__" stays a plain key
 * instead of replacing the result's prototype.
 */
function decodeRecord<T>(v: unknown, maxKeys: number, keyPattern: RegExp, decode: (value: unknown) => T): Record<string, T> {
  if (!isPlainObject(v)) reject('bad-field');
  const keys = Object.keys(v);
  if (keys.length > maxKeys) reject('out-of-range');
  return Object.fromEntries(
    keys.map((key) => {
      if (!keyPattern.test(key)) reject('bad-field');
      return [key, decode(v[key])];
    }),
  );
}

function decodeStats(o: Obj): StatsMessage {
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

const DECODERS: { [K in PayloadKind]: (o: Obj) => PayloadByKind[K] } = {
  ball: decodeBall,
  paddle: decodePaddle,
  ack: decodeAck,
  state: decodeState,
  join: decodeJoin,
  serve: decodeCommand,
  restart: decodeCommand,
  ready: decodeCommand,
  stats: decodeStats,
  watcherAck: decodeAck,
  watcherStats: (o) => ({ ...decodePeerStats(o), timestamp: timestamp(field(o, 'timestamp')) }),
  seat: decodeSeat,
  leave: decodeLeave,
};

/**
 * A string's UTF-8 size without encoding it when the answer is obvious: each UTF-16 unit is 1 to
 * 3 bytes, so only lengths between a third of the limit and the limit need the exact count.
 */
export function utf8LongerThan(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return Buffer.byteLength(text, 'utf8') > maxBytes;
}

export function decodePayload<K extends PayloadKind>(kind: K, text: string): DecodeResult<PayloadByKind[K]> {
  if (kind === 'ack' || kind === 'watcherAck') {
    const ack = scanAck(text);
    if (ack !== null) return { ok: true, value: ack as PayloadByKind[K] };
  }
  const parsed = parsePayload(text);
  return parsed.ok ? decodeParsed(kind, parsed.value) : parsed;
}

/** The first half of decodePayload: the size and JSON checks, for a caller that peeks before decoding. */
export function parsePayload(text: string): DecodeResult<unknown> {
  if (typeof text !== 'string') return { ok: false, reason: 'not-json' };
  if (utf8LongerThan(text, MAX_PAYLOAD_BYTES)) return { ok: false, reason: 'too-large' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}

/** The second half of decodePayload: a parsed value checked field by field. */
export function decodeParsed<K extends PayloadKind>(kind: K, parsed: unknown): DecodeResult<PayloadByKind[K]> {
  if (!isPlainObject(parsed)) return { ok: false, reason: 'not-object' };
  const decode = DECODERS[kind] as ((o: Obj) => PayloadByKind[K]) | undefined;
  if (decode === undefined) return { ok: false, reason: 'bad-field' };
  try {
    return { ok: true, value: decode(parsed) };
  } catch (err) {
    if (err instanceof Reject) return { ok: false, reason: err.reason };
    // Nothing above should throw anything else; if it ever does, the message is still dropped.
    return { ok: false, reason: 'bad-field' };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** For transports that hand over raw bytes: size is checked before decoding, invalid UTF-8 is not JSON. */
export function decodePayloadBytes<K extends PayloadKind>(kind: K, data: Uint8Array): DecodeResult<PayloadByKind[K]> {
  if (data.byteLength > MAX_PAYLOAD_BYTES) return { ok: false, reason: 'too-large' };
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  return decodePayload(kind, text);
}

/** Beyond this many distinct kind:reason keys, further ones are pooled so a flood of odd kinds cannot grow memory. */
const MAX_COUNTER_KEYS = 128;

/** Counts dropped messages by "kind:reason", the shape of StatsMessage.dropped. */
export class DropCounter {
  readonly #counts = new Map<string, number>();
  #total = 0;

  record(kind: string, reason: DropReason | RefusalReason): void {
    let key = `${kind}:${reason}`;
    if (!COUNTER_KEY_PATTERN.test(key) || (!this.#counts.has(key) && this.#counts.size >= MAX_COUNTER_KEYS)) {
      key = `other:${reason}`;
    }
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#total += 1;
  }

  get total(): number {
    return this.#total;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  reset(): void {
    this.#counts.clear();
    this.#total = 0;
  }
}
