/**
 * The WebRTC gateway under the gateway contract, against a bare peer that negotiates over the
 * /rtc WebSocket as docs/PROTOCOL.md describes. WebRTC's own behaviour (channels, signaling
 * order, re-negotiation) is in webrtc-peer.test.ts.
 */
import { webrtcTransport } from '../../src/transports/webrtc/index.js';
import { connectWebRtcPeer, webRtcRefusal } from '../helpers/raw-peers/webrtc.js';
import { runGatewayContract } from './gateway-contract.js';

/** Either end may be seen first: the signaling close, or the peer and its channels closing. */
const SESSION_ENDED = /^(signaling \d+|(un)?reliable channel closed|peer (closed|failed))$/;

runGatewayContract({
  label: 'webrtc',
  factory: webrtcTransport,
  url: /^http:\/\/127\.0\.0\.1:\d+$/,
  connect: connectWebRtcPeer,
  claim: { probe: webRtcRefusal, answer: 'signal client-id-taken, then close 1008 client-id-taken' },
  routesTopics: true,
  answersRefusedPublishes: true,
  badFilter: { filter: 'pong/#/ball', answer: 'bad-filter pong/#/ball' },
  // No frame bound of its own: SCTP refuses a message over its maximum size at the sender.
  oversized: null,
  rateLimited: { told: 'signal rate-limit', ended: SESSION_ENDED },
  stopped: SESSION_ENDED,
  sharesHttp: true,
  stalledLimits: { shedBytes: 16 * 1024, stalledBytes: 256 * 1024 },
});
