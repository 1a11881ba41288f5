/**
 * One signaling connection, whatever carries it (a WebSocket on /rtc, a Socket.io socket on
 * /rtc.io/). The peer-connection logic on both sides talks to this and never to a socket.
 */
import type { DeclaredIdentity } from '../claim-client-id.js';
import type { KickReason } from '../limits.js';
import type { SignalMessage } from './signal.js';

export interface SignalingLink {
  send(message: SignalMessage): void;
  /** Resolves once the connection is closed (or after a short grace if the peer never answers). */
  close(): Promise<void>;
}

/** How long a closing signaling link waits for the other side's close. */
export const LINK_CLOSE_GRACE_MS = 1_000;

export interface SignalingLinkEvents {
  onMessage(message: SignalMessage): void;
  /** Something arrived that is not a signaling message; it has been dropped. */
  onMalformed(): void;
  onClose(reason: string): void;
}

export type SignalingKind = 'ws' | 'socketio';

/**
 * Server side: gives each accepted link to the gateway, which returns its handlers, or why it
 * refuses the connection (the endpoint then says so on the link and closes it).
 */
export type AcceptLink = (link: SignalingLink, identity: DeclaredIdentity, remoteAddress: string) => SignalingLinkEvents | KickReason;

export interface SignalingEndpoint {
  start(): void;
  /** Ends every link; leaves the shared HTTP server running. */
  stop(): Promise<void>;
}

/** Client side: one connection attempt; rejects with a short reason (e.g. ECONNREFUSED). */
export type DialLink = (events: SignalingLinkEvents) => Promise<SignalingLink>;

export const RTC_WS_PATH = '/rtc';
export const RTC_SOCKETIO_PATH = '/rtc.io/';
/** The Socket.io event that carries one SignalMessage. */
export const SIGNAL_EVENT = 'signal';
