/**
 * The WebRTC transport's `extra` options, shared by client and gateway:
 *   iceServers  string[]  'stun:host:port' or 'turn:user:pass@host:port' (CLI: repeatable --ice)
 *   signaling   'ws' | 'socketio'  what carries the offer/answer/candidates (CLI: --signaling)
 * Misuse throws at construction, so a bad flag fails before anything connects.
 */
import type { SignalingKind } from './links.js';

export interface RtcOptions {
  iceServers: string[];
  signaling: SignalingKind;
}

/**
 * libdatachannel's own grammar: scheme:[user:password@]host[:port][?transport=udp|tcp], host
 * a name or IPv4 address (it refuses a bracketed IPv6 literal). Checked here so a bad --ice
 * fails when the client or gateway is made, not at the first offer.
 */
const ICE_URL = /^(?:stun|turns?):(?:[^@\s:]+:[^@\s]+@)?[A-Za-z0-9.-]+(?::\d{1,5})?(?:\?transport=(?:udp|tcp))?$/;

export function parseRtcOptions(extra: Record<string, unknown> | undefined): RtcOptions {
  const iceServers = extra?.['iceServers'] ?? [];
  const list = typeof iceServers === 'string' ? [iceServers] : iceServers;
  if (!Array.isArray(list) || !list.every((url): url is string => typeof url === 'string' && ICE_URL.test(url))) {
    throw new TypeError(`webrtc: iceServers must be URLs like stun:host:port or turn:user:pass@host:port, got ${JSON.stringify(iceServers)}`);
  }
  const signaling = extra?.['signaling'] ?? 'ws';
  if (signaling !== 'ws' && signaling !== 'socketio') {
    throw new TypeError(`webrtc: signaling must be 'ws' or 'socketio', got ${JSON.stringify(signaling)}`);
  }
  return { iceServers: [...list], signaling };
}
