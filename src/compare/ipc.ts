/**
 * Messages between the screen's process and the observer process (see observer-link.ts):
 * commands one way, snapshots and the court's view the other. Plain data, sent with Node's
 * 'advanced' (structured clone) IPC serialization.
 */
import type { BallMessage, StateMessage } from '../protocol/messages.js';
import type { ConnectionStatus, TransportName } from '../transports/transport.js';
import type { TimelineData } from './frame-timeline.js';
import type { ComparisonSnapshot } from './snapshot.js';

export interface ObserverConfig {
  gameId: string;
  transports: TransportName[];
  serverUrl: string;
  brokerUrl: string;
  /** Each transport's client `extra` options (e.g. WebRTC signaling and ICE servers). */
  extra: Partial<Record<TransportName, Record<string, unknown>>>;
  /** How often the court's view is sent; 0 sends none. */
  courtFps: number;
  /** Keep every frame of the window and send it with the final snapshot (for a plot). */
  timeline?: boolean;
}

/** What the small court needs: one observer's latest frame and the game's state. */
export interface CourtFrame {
  ball: BallMessage | null;
  paddles: { p1: number; p2: number };
  state: StateMessage | null;
  connection: ConnectionStatus;
}

export type ToObservers =
  | { type: 'config'; config: ObserverConfig }
  | { type: 'whenReady'; timeoutMs: number }
  | { type: 'measure' }
  | { type: 'finish'; graceMs: number }
  | { type: 'close' };

export type FromObservers =
  | { type: 'started'; failed: Array<{ name: TransportName; message: string }> }
  | { type: 'snapshot'; snapshot: ComparisonSnapshot }
  | { type: 'court'; frame: CourtFrame }
  | { type: 'ready'; notReady: TransportName[] }
  | { type: 'finished'; snapshot: ComparisonSnapshot; timeline: TimelineData | null };
