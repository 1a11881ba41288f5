import type { TransportName } from './transport-name.js';

/**
 * What one client may send, and how far behind it may fall, on every transport. A player sends
 * 60 acks a second plus its paddle moves: measured, `pong bot` sends up to about 205 a second in
 * all (it moves its paddle more often than the 60 Hz tick), a person at the keyboard fewer; a
 * watcher 60. The sustained rate leaves twice the busiest player's need, so a client catching up
 * after a stall is not cut off, and the burst two seconds of it: what a reconnect sends at once
 * (its subscriptions, up to 64 queued publishes) and the acks of frames that arrived together
 * after a pause.
 *
 * A client that reads slower than the game publishes is bounded in two steps: past `shedBytes`
 * its latest-wins frames (ball, paddle, ack) are skipped, since a newer one follows within a
 * tick; reliable messages (state, commands, stats) still queue, and past `stalledBytes` it is
 * not reading at all and is cut off. What "waiting" counts is each transport's own buffer, so
 * the defaults differ by transport (SLOW_CLIENT_DEFAULTS). Tests lower them through
 * GatewayOptions.limits rather than flood past them.
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
  /**
   * Bytes waiting to be sent to a client beyond which its latest-wins frames are skipped. ws:
   * its socket's unsent bytes; Socket.io: its WebSocket's; WebRTC: the unreliable channel's
   * SCTP queue; MQTT: its socket's, or any at all once the socket pushes back.
   */
  shedBytes: number;
  /**
   * Bytes waiting beyond which a client is cut off as not reading. ws: its socket's; Socket.io:
   * its WebSocket's; WebRTC: the reliable channel's. MQTT has no byte bound: Aedes waits for a
   * client's socket to drain, for `drainTimeoutMs`.
   */
  stalledBytes: number;
  /** Socket.io: packets engine.io holds for a client (a polling client between two polls) beyond which frames are skipped. */
  shedPackets: number;
  /** Socket.io: packets engine.io holds for a client beyond which it is cut off. */
  stalledPackets: number;
  /**
   * MQTT (embedded broker): how long a client's socket may stay undrained before Aedes cuts it
   * off. Until then each QoS 1 delivery to it holds one of Aedes' delivery slots (100, shared
   * by every client), so the wait must be short; a live client drains in milliseconds.
   */
  drainTimeoutMs: number;
}

/** The limits on what a client sends: the same on every transport. */
export const DEFAULT_CLIENT_LIMITS: Readonly<Pick<ClientLimits, 'ratePerSecond' | 'burst' | 'connectionsPerAddress'>> = {
  ratePerSecond: 400,
  burst: 800,
  connectionsPerAddress: 64,
};

export type SlowClientLimits = Pick<ClientLimits, 'shedBytes' | 'stalledBytes' | 'shedPackets' | 'stalledPackets' | 'drainTimeoutMs'>;

/** Read by one transport alone (see ClientLimits): the same default wherever they appear. */
const SOCKETIO_PACKETS = { shedPackets: 64, stalledPackets: 1024 };
const MQTT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * How far behind a client may fall, by transport: the thresholds each gateway kept for itself
 * before they were gathered here (docs/PROTOCOL.md, Limits). They differ because what they
 * count differs: ws counts its socket's unsent bytes alone; Socket.io's and WebRTC's own
 * buffers come on top of the kernel's; the embedded broker's delivery slots are shared.
 */
export const SLOW_CLIENT_DEFAULTS: Readonly<Record<TransportName, Readonly<SlowClientLimits>>> = {
  ws: { shedBytes: 1 << 20, stalledBytes: 4 << 20, ...SOCKETIO_PACKETS, drainTimeoutMs: MQTT_DRAIN_TIMEOUT_MS },
  socketio: { shedBytes: 16 * 1024, stalledBytes: 1 << 20, ...SOCKETIO_PACKETS, drainTimeoutMs: MQTT_DRAIN_TIMEOUT_MS },
  webrtc: { shedBytes: 64 * 1024, stalledBytes: 1 << 20, ...SOCKETIO_PACKETS, drainTimeoutMs: MQTT_DRAIN_TIMEOUT_MS },
  mqtt: { shedBytes: 64 * 1024, stalledBytes: Number.POSITIVE_INFINITY, ...SOCKETIO_PACKETS, drainTimeoutMs: MQTT_DRAIN_TIMEOUT_MS },
};

/** One transport's limits: its defaults, with `overrides` (pong serve's flags, a test's lower bounds) on top. */
export function clientLimits(transport: TransportName, overrides: Partial<ClientLimits> = {}): ClientLimits {
  return { ...DEFAULT_CLIENT_LIMITS, ...SLOW_CLIENT_DEFAULTS[transport], ...overrides };
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
