/**
 * The bare WebRTC relay's signaling: one JSON message per description or candidate over a
 * plain WebSocket at BARE_SIGNAL_PATH. Only the set-up rides on it; frames and acks go over
 * the data channel.
 */
export const BARE_SIGNAL_PATH = '/bare-signal';

export type BareSignal = { kind: 'description'; sdp: string; type: 'offer' | 'answer' } | { kind: 'candidate'; candidate: string; mid: string };

export function parseBareSignal(text: string): BareSignal | null {
  try {
    const value = JSON.parse(text) as Partial<Record<'kind' | 'sdp' | 'type' | 'candidate' | 'mid', unknown>>;
    if (value.kind === 'description' && typeof value.sdp === 'string' && (value.type === 'offer' || value.type === 'answer')) {
      return { kind: 'description', sdp: value.sdp, type: value.type };
    }
    if (value.kind === 'candidate' && typeof value.candidate === 'string' && typeof value.mid === 'string') {
      return { kind: 'candidate', candidate: value.candidate, mid: value.mid };
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * Applies signals to a peer in order, holding candidates that come before the remote
 * description (the native stack refuses them until then).
 */
export class BareSignalQueue {
  #described = false;
  readonly #held: Array<{ candidate: string; mid: string }> = [];

  constructor(private readonly peer: { setRemoteDescription(sdp: string, type: 'offer' | 'answer'): void; addRemoteCandidate(candidate: string, mid: string): void }) {}

  apply(signal: BareSignal): void {
    if (signal.kind === 'description') {
      this.peer.setRemoteDescription(signal.sdp, signal.type);
      this.#described = true;
      for (const held of this.#held.splice(0)) this.peer.addRemoteCandidate(held.candidate, held.mid);
    } else if (this.#described) {
      this.peer.addRemoteCandidate(signal.candidate, signal.mid);
    } else {
      this.#held.push(signal);
    }
  }
}
