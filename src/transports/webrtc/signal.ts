/**
 * WebRTC signaling messages: one JSON object per WebSocket text message on /rtc, or the same
 * object as the argument of a Socket.io `signal` event on /rtc.io/. The client offers; every
 * message names the negotiation it belongs to (`id`, chosen by the client, a new one for each
 * new peer connection) so a late candidate of an abandoned peer is never applied to its
 * successor.
 *
 *   client → server  {"type":"offer","id":1,"sdp":"v=0..."}
 *   server → client  {"type":"answer","id":1,"sdp":"v=0..."}
 *   both ways        {"type":"candidate","id":1,"candidate":"a=candidate:1 1 UDP ...","mid":"0"}
 *   server → client  {"type":"error","id":1,"message":"..."}   (id omitted if unknown)
 *   client → server  {"type":"bye"}   a clean close follows: the client's will is not published
 *
 * Parsing never throws: anything else comes back as null for the caller to count and drop.
 */

export type SignalMessage =
  | { type: 'offer'; id: number; sdp: string }
  | { type: 'answer'; id: number; sdp: string }
  | { type: 'candidate'; id: number; candidate: string; mid: string }
  | { type: 'error'; id?: number; message: string }
  | { type: 'bye' };

/** A data-channel-only SDP is about 1 KB; anything near this is not one of ours. */
export const MAX_SIGNAL_BYTES = 16 * 1024;
const MAX_CANDIDATE_CHARS = 1024;
const MAX_MID_CHARS = 64;

export function encodeSignal(message: SignalMessage): string {
  return JSON.stringify(message);
}

/** From a WebSocket text message. */
export function parseSignalText(text: string): SignalMessage | null {
  if (text.length > MAX_SIGNAL_BYTES) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return parseSignal(value);
}

/** From an already-decoded value (a Socket.io event argument). */
export function parseSignal(value: unknown): SignalMessage | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const id = record['id'];
  switch (record['type']) {
    case 'offer':
    case 'answer': {
      const sdp = record['sdp'];
      if (!isNegotiationId(id) || typeof sdp !== 'string' || sdp.length === 0 || sdp.length > MAX_SIGNAL_BYTES) return null;
      return { type: record['type'], id, sdp };
    }
    case 'candidate': {
      const { candidate, mid } = record;
      if (!isNegotiationId(id) || typeof candidate !== 'string' || typeof mid !== 'string') return null;
      if (candidate.length === 0 || candidate.length > MAX_CANDIDATE_CHARS || mid.length > MAX_MID_CHARS) return null;
      return { type: 'candidate', id, candidate, mid };
    }
    case 'error': {
      const message = record['message'];
      if (typeof message !== 'string') return null;
      return isNegotiationId(id) ? { type: 'error', id, message: message.slice(0, 200) } : { type: 'error', message: message.slice(0, 200) };
    }
    case 'bye':
      return { type: 'bye' };
    default:
      return null;
  }
}

export function isNegotiationId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= Number.MAX_SAFE_INTEGER;
}
