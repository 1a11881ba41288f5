/**
 * What one client may send, on every transport. A player sends 60 acks a second plus its paddle
 * moves: measured, `pong bot` sends up to about 205 a second in all (it moves its paddle more
 * often than the 60 Hz tick), a person at the keyboard fewer; a watcher 60. The sustained rate
 * leaves twice the busiest player's need, so a client catching up after a stall is not cut
 * off, and the burst two seconds of it: what a reconnect sends at once (its subscriptions, up
 * to 64 queued publishes) and the acks of frames that arrived together after a pause.
 */
export interface ClientLimits {
  /** Messages (any frame or event, well-formed or not) per second, sustained. */
  ratePerSecond: number;
  /** Messages a client may send at once beyond the sustained rate. */
  burst: number;
  /**
   * Connections open at once from one remote address, per gateway: a classroom's thirty
   * students each have their own address; one address holding more is a script.
   */
  connectionsPerAddress: number;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimits = {
  ratePerSecond: 400,
  burst: 800,
  connectionsPerAddress: 64,
};

export function clientLimits(overrides: Partial<ClientLimits> = {}): ClientLimits {
  return { ...DEFAULT_CLIENT_LIMITS, ...overrides };
}

/** The close reasons a client is given when it is cut off, on every transport. */
export const KICK_REASONS = {
  rate: 'rate-limit',
  connections: 'too-many-connections',
  slow: 'slow-consumer',
  /** Another connection holds the client id this one asked for. */
  idTaken: 'client-id-taken',
  /** A newer connection of the same client (it proved it with its seat token) replaced this one. */
  takenOver: 'taken-over',
} as const;

/** Said with a too-many-connections refusal where the transport carries a detail: what changes the limit. */
export const CONNECTION_LIMIT_HINT = 'raise the limit with pong serve --max-connections-per-address';

export type KickReason = (typeof KICK_REASONS)[keyof typeof KICK_REASONS];
