/** Messages between the bench and a floor's echo process; WebRTC's signaling rides along. */
import type { TransportName } from '../../transports/transport.js';

export type Signal = { kind: 'description'; sdp: string; type: string } | { kind: 'candidate'; candidate: string; mid: string };

export type FloorToChild =
  | { type: 'floor'; transport: TransportName; brokerUrl?: string }
  | { type: 'signal'; signal: Signal }
  | { type: 'close' };

export type FloorFromChild = { type: 'ready'; url: string } | { type: 'signal'; signal: Signal } | { type: 'failed'; message: string };
