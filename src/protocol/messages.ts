/**
 * Payloads of every topic under pong/game/<id>/. Field names of ball, paddle, state, join,
 * serve and restart are the classic demo's; everything else is an extra field or topic that
 * such clients ignore. Times are epoch milliseconds with sub-millisecond precision.
 */
export type PlayerNumber = 1 | 2;
export type GameStatus = 'waiting' | 'playing' | 'paused' | 'ended';

/** Sent by the server every tick (60 Hz). */
export interface BallMessage {
  x: number;
  y: number;
  dx: number;
  dy: number;
  /** Server send time. */
  timestamp: number;
  seq: number;
  /** Authoritative paddle tops, so a spectator needs no other topic to draw the court. */
  p1y?: number;
  p2y?: number;
}

/**
 * A ball frame as it arrives: ours carry `seq` (and the paddles); a classic server's carry
 * neither, and its clients number them on arrival.
 */
export type ArrivingBall = Omit<BallMessage, 'seq'> & { seq?: number };

/** Sent by a player: the top edge of its paddle, in court units. */
export interface PaddleMessage {
  y: number;
  timestamp: number;
  seq?: number;
  token?: string;
}

/** Sent by a player (or a watcher) for every ball frame it receives. */
export interface AckMessage {
  seq: number;
  /** The ball frame's `timestamp`, echoed. */
  timestamp: number;
  /** Client receive time, on the client's clock. */
  rx: number;
}

export interface CourtSize {
  width: number;
  height: number;
  paddleHeight: number;
}

/** Retained: the score and phase of the game. */
export interface StateMessage {
  status: GameStatus;
  p1Score: number;
  p2Score: number;
  /** Who must serve now; null while the ball is in play or nobody may serve. */
  servingPlayer: PlayerNumber | null;
  timestamp: number;
  winner?: PlayerNumber | null;
  players?: { p1: boolean; p2: boolean };
  court?: CourtSize;
  pointsToWin?: number;
  /** Epoch ms at which the server serves on its own if the serving player has not. */
  autoServeAt?: number | null;
  /** Increases with every state change, so a client can ignore a stale retained copy. */
  rev?: number;
  /**
   * Players whose seat is kept for them while they are gone (their connection dropped): the
   * game is paused until they re-join with their seat token, or forfeited at `forfeitAt`.
   */
  missing?: PlayerNumber[];
  /** Epoch ms at which a missing player forfeits; null when nobody is missing. */
  forfeitAt?: number | null;
  /** The game ended because the loser did not come back in time. */
  forfeit?: boolean;
  /** Cluster mode: the owner's fencing number (grows with every change of owner). */
  fence?: number;
}

export interface JoinMessage {
  /** 1 or 2 for a player; spectators send `spectator: true` and may omit player. */
  player?: PlayerNumber;
  timestamp: number;
  clientId?: string;
  name?: string;
  spectator?: boolean;
  transport?: string;
  /** A token from an earlier SeatMessage: asks for the same seat back after a drop. */
  token?: string;
}

/** serve, restart and ready. */
export interface CommandMessage {
  /**
   * The seat it is for. A classic client's restart names none: it counts for the seat of the
   * connection that sent it (see the room).
   */
  player?: PlayerNumber;
  timestamp: number;
  /** The seat token the server granted this player (see SeatMessage). */
  token?: string;
}

/**
 * Server → one client, on seat/<clientId> (delivered to that client alone): the answer to a
 * join. A granted seat comes with a secret token: the client presents it to get its seat back
 * after a restart or to take its client id over from a connection of its own the server has
 * not yet seen die. Where the server knows which connection a message came from (its own
 * gateways and embedded broker), the connection is the seat's proof; through an external
 * broker it is not, and `tokenInMessages` asks for the token in every paddle, command and leave.
 */
export interface SeatMessage {
  player: PlayerNumber;
  granted: boolean;
  timestamp: number;
  token?: string;
  /** true: put the token in every message for this seat (the server cannot see who sent them). */
  tokenInMessages?: boolean;
  /** Why not granted, for the person: 'seat taken', 'taken over', 'room limit', ... */
  reason?: string;
}

/** A player is gone: sent by the client on quit, or for it (MQTT Last Will, gateway on close). */
export interface LeaveMessage {
  player: PlayerNumber;
  timestamp: number;
  clientId?: string;
  token?: string;
  reason?: string;
}

export interface LatencySummary {
  last: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What the server measured for one acking client (a player or a watcher). */
export interface PeerLatencyStats {
  /** Frames acked since the server started measuring this peer. */
  samples: number;
  /** Round trip per frame: ack arrival at the server − ball `timestamp`. */
  rtt: LatencySummary;
  /** Mean deviation between consecutive round trips (RFC 3550 style). */
  jitter: number;
  /** Estimated client clock − server clock, ms (NTP-style, from the fastest round trips). */
  offset: number;
  /** Ball frames the server sent this peer's way that were never acked. */
  framesLost: number;
  transport?: string;
}

/** One watcher's figures, on watch/<clientId>/stats. */
export interface WatcherStatsMessage extends PeerLatencyStats {
  timestamp: number;
}

/** Retained, about twice a second. */
export interface StatsMessage {
  timestamp: number;
  p1?: PeerLatencyStats;
  p2?: PeerLatencyStats;
  /**
   * How many watchers (pong watch, compare observers) the server is measuring. Each one's
   * figures go to it alone on watch/<clientId>/stats, so this message stays small however many
   * watch.
   */
  watchers?: number;
  /** Server-side counters: messages dropped as malformed, by topic kind. */
  dropped?: Record<string, number>;
  tick?: { hz: number; errorP99: number };
}
