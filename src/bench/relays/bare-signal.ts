/**
 * The bare WebRTC relay's signaling: one JSON message per description or candidate over a
 * plain WebSocket at BARE_SIGNAL_PATH. Only the set-up rides on it; frames and acks go over
 * the data channel.
 */
import type { WebSocket } from 'ws';

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

/** Sends a signal over the socket, if it is still open. */
export function signalSender(socket: WebSocket): (signal: BareSignal) => void {
  return (signal) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(signal));
  };
}

/**
 * Applies the signals that arrive on `socket` to `peer`, in order; malformed ones are ignored,
 * and one the native stack refuses goes to `onRefused`.
 */
export function receiveSignals(socket: WebSocket, peer: ConstructorParameters<typeof BareSignalQueue>[0], onRefused: (error: Error) => void): void {
  const queue = new BareSignalQueue(peer);
  socket.on('message', (data) => {
    const signal = parseBareSignal(data.toString());
    if (signal === null) return;
    try {
      queue.apply(signal);
    } catch (error) {
      onRefused(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
