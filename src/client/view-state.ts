/**
 * What a client (player, watcher, bot) knows about its game at any moment: the input of the
 * Ink views and of the bot. Built by the client session from the topics it receives.
 */
import type { BallMessage, PeerLatencyStats, PlayerNumber, StateMessage } from '../protocol/messages.js';
import type { ConnectionStatus, TransportName } from '../transports/transport.js';
import type { LatencySnapshot } from '../metrics/frame-latency.js';

export type ClientRole = { kind: 'player'; player: PlayerNumber } | { kind: 'spectator' };

export interface ClientViewState {
  gameId: string;
  role: ClientRole;
  transport: TransportName;
  connection: ConnectionStatus;
  /** Why the connection is not 'connected', for the status line. */
  connectionDetail?: string;
  /** Latest ball frame received, or null before the first. */
  ball: BallMessage | null;
  /** Paddle tops in court units (authoritative, from ball frames; own paddle as last sent). */
  paddles: { p1: number; p2: number };
  state: StateMessage | null;
  /** One-way frame latency measured by this client. */
  latency: LatencySnapshot;
  /** This client's round trip as the server measured it (from the stats topic), if any. */
  serverStats: PeerLatencyStats | null;
}

/** The actions a view may take; a spectator's session ignores them. */
export interface ClientControls {
  /** Set the own paddle's top edge (court units); the session clamps and publishes it. */
  movePaddleTo(y: number): void;
  serve(): void;
  restart(): void;
  quit(): void;
}

/**
 * A live view a UI can render: getState() returns the current snapshot (a new object whenever
 * anything changed), subscribe() calls back on every change (up to every ball frame, 60 Hz).
 * Shaped for React's useSyncExternalStore.
 */
export interface ViewSource {
  getState(): ClientViewState;
  subscribe(listener: () => void): () => void;
}
