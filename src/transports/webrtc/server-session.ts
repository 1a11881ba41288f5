/**
 * The server's side of one signaling connection: answers the client's offers, owns the peer
 * connection of the latest one, and attaches it to the ClientHub. A signaling connection owns
 * its peer: when it closes, the peer goes too, so a vanished client leaves nothing behind.
 *
 * Each offer replaces the previous peer (the client re-negotiates after a failure) and gets a
 * fresh hub session, because the client sends its subscriptions again on every new peer.
 */
import { decodeClientFrame, encodeServerFrame, type ClientFrame } from '../ws/framing.js';
import type { ClientHub, HubSession } from '../hub.js';
import { CandidateBuffer } from './candidate-buffer.js';
import { LATEST_WINS_BACKLOG_BYTES, RELIABLE_LABEL, UNRELIABLE_LABEL } from './channels.js';
import type { SignalingLink, SignalingLinkEvents } from './links.js';
import { createPeer, type RtcChannel, type RtcPeer } from './peer.js';
import type { SignalMessage } from './signal.js';

/** Refused input, summed over every session of a gateway. */
export interface SessionCounters {
  /** Data-channel frames that did not decode. */
  badFrames: number;
  /** Signaling messages that were malformed or out of place. */
  badSignals: number;
}

export interface ServerSessionOptions {
  connectionId: string;
  iceServers: readonly string[];
  hub: ClientHub;
  counters: SessionCounters;
  /** The native peer by default; tests drive the signaling logic with a fake. */
  createPeer?: typeof createPeer;
}

interface ServedPeer {
  id: number;
  peer: RtcPeer;
  hub: HubSession;
  reliable: RtcChannel | null;
  unreliable: RtcChannel | null;
}

export class RtcServerSession implements SignalingLinkEvents {
  private current: ServedPeer | null = null;
  /** Highest negotiation id seen in an offer; older candidates are stale. */
  private lastOfferId = 0;
  private readonly early = new CandidateBuffer();
  private ended = false;
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly link: SignalingLink,
    private readonly options: ServerSessionOptions,
  ) {}

  onMessage(message: SignalMessage): void {
    if (this.ended) return;
    switch (message.type) {
      case 'offer':
        return this.answer(message.id, message.sdp);
      case 'candidate':
        return this.addCandidate(message.id, message.candidate, message.mid);
      default:
        // Only clients offer; an answer or error from one is out of place.
        return this.refuseSignal(`unexpected ${message.type}`, message.id);
    }
  }

  onMalformed(): void {
    this.refuseSignal('malformed signaling message');
  }

  onClose(): void {
    void this.end();
  }

  /** Drops the peer connection but keeps signaling up, so the client re-negotiates. */
  dropPeer(): Promise<void> {
    return this.retire(this.current);
  }

  /** Ends the session: peer, hub session and signaling link. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.early.clear();
    const retiring = this.retire(this.current);
    this.link.close();
    await retiring;
    await Promise.all(this.closing);
  }

  private answer(id: number, sdp: string): void {
    if (id <= this.lastOfferId) return this.refuseSignal(`offer id ${id} is not newer than ${this.lastOfferId}`, id);
    this.lastOfferId = id;
    void this.retire(this.current);
    let served: ServedPeer;
    try {
      served = this.serve(id);
    } catch (error) {
      return this.refuseSignal(`cannot create a peer connection: ${(error as Error).message}`, id);
    }
    this.current = served;
    try {
      served.peer.setRemoteDescription(sdp, 'offer');
    } catch (error) {
      this.refuseSignal(`offer refused: ${(error as Error).message}`, id);
      void this.retire(served);
      return;
    }
    for (const candidate of this.early.take(id)) this.applyCandidate(served, candidate.candidate, candidate.mid);
  }

  private serve(id: number): ServedPeer {
    const served: ServedPeer = {
      id,
      peer: (this.options.createPeer ?? createPeer)(`${this.options.connectionId}/${id}`, { iceServers: this.options.iceServers }, {
        onLocalDescription: (localSdp, type) => {
          if (type === 'answer') this.link.send({ type: 'answer', id, sdp: localSdp });
        },
        onLocalCandidate: (candidate, mid) => this.link.send({ type: 'candidate', id, candidate, mid }),
        onStateChange: (state) => {
          // 'disconnected' can recover; the client re-offers if it does not, which retires this.
          if (state === 'failed' || state === 'closed') void this.retire(served);
        },
        onRemoteChannel: (channel) => this.adopt(served, channel),
      }),
      hub: this.options.hub.attach({
        id: this.options.connectionId,
        send: (topic, payload, reliable) => this.deliver(served, topic, payload, reliable),
      }),
      reliable: null,
      unreliable: null,
    };
    return served;
  }

  private addCandidate(id: number, candidate: string, mid: string): void {
    const served = this.current;
    if (served !== null && id === served.id) return this.applyCandidate(served, candidate, mid);
    if (id <= this.lastOfferId) return;
    if (!this.early.push(id, { candidate, mid })) this.refuseSignal('too many candidates before the offer', id);
  }

  private applyCandidate(served: ServedPeer, candidate: string, mid: string): void {
    try {
      served.peer.addRemoteCandidate(candidate, mid);
    } catch (error) {
      this.refuseSignal(`candidate refused: ${(error as Error).message}`, served.id);
    }
  }

  private adopt(served: ServedPeer, channel: RtcChannel) {
    if (channel.label !== RELIABLE_LABEL && channel.label !== UNRELIABLE_LABEL) return null;
    if (channel.label === RELIABLE_LABEL) served.reliable = channel;
    else served.unreliable = channel;
    return {
      onMessage: (text: string) => this.onFrame(served, text),
      onClose: () => void this.retire(served),
    };
  }

  private onFrame(served: ServedPeer, text: string): void {
    const decoded = decodeClientFrame(text);
    if (!decoded.ok) {
      this.options.counters.badFrames += 1;
      return this.sendError(served, 'bad-frame', decoded.error);
    }
    const refusal = apply(served.hub, decoded.frame);
    if (refusal !== null) {
      this.sendError(served, refusal, decoded.frame.kind === 'pub' ? decoded.frame.topic : decoded.frame.filter);
    }
  }

  private deliver(served: ServedPeer, topic: string, payload: string, reliable: boolean): void {
    const frame = encodeServerFrame({ kind: 'msg', topic, payload });
    if (!reliable && served.unreliable?.isOpen) {
      // Latest wins: a frame that would queue behind a backlog is already stale.
      if (served.unreliable.bufferedAmount > LATEST_WINS_BACKLOG_BYTES) return;
      served.unreliable.send(frame);
      return;
    }
    served.reliable?.send(frame);
  }

  /** Refusals are answered, not punished: the peer stays up. */
  private sendError(served: ServedPeer, reason: string, detail: string): void {
    served.reliable?.send(encodeServerFrame({ kind: 'err', reason, detail }));
  }

  private refuseSignal(message: string, id?: number): void {
    this.options.counters.badSignals += 1;
    this.link.send(id === undefined ? { type: 'error', message } : { type: 'error', id, message });
  }

  private retire(served: ServedPeer | null): Promise<void> {
    if (served === null || served.peer.closed) return Promise.resolve();
    if (this.current === served) this.current = null;
    served.hub.detach();
    const closing = served.peer.close();
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
    return closing;
  }
}

function apply(session: HubSession, frame: ClientFrame): string | null {
  switch (frame.kind) {
    case 'sub':
      return session.subscribe(frame.filter);
    case 'unsub':
      session.unsubscribe(frame.filter);
      return null;
    case 'pub':
      return session.publish({ topic: frame.topic, payload: frame.payload, qos: frame.qos, retain: frame.retain });
  }
}
