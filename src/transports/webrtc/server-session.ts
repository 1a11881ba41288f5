/**
 * The server's side of one signaling connection: answers the client's offers, owns the peer
 * connection of the latest one, and attaches it to the ClientHub. A signaling connection owns
 * its peer: when it closes, the peer goes too, so a vanished client leaves nothing behind.
 *
 * Each offer replaces the previous peer (the client re-negotiates after a failure) and gets a
 * fresh hub session, because the client sends its subscriptions again on every new peer.
 */
import { decodeClientFrame, encodeServerFrame, encodeServerMessage } from '../framed/framing.js';
import { applyClientFrame } from '../framed/apply-frame.js';
import type { ClientHub, HubSession } from '../hub.js';
import { LastEncoded } from '../last-encoded.js';
import { KICK_REASONS } from '../limits.js';
import { TokenBucket } from '../token-bucket.js';
import { CandidateBuffer } from './candidate-buffer.js';
import { RELIABLE_LABEL, UNRELIABLE_LABEL } from './channels.js';
import type { SignalingLink, SignalingLinkEvents } from './links.js';
import { createPeer, type RtcChannel, type RtcPeer } from './peer.js';
import type { SignalMessage } from './signal.js';

/**
 * Signaling messages per second: a negotiation is one offer and a dozen candidates, and each
 * offer costs a native peer connection, so a client offering faster than this is hostile.
 */
const SIGNALS_PER_SECOND = 20;
const SIGNAL_BURST = 100;

export interface ServerSessionOptions {
  connectionId: string;
  /** The clientId the client declared on its signaling connection, if any. */
  clientId: string | null;
  /** The signaling connection's remote address. */
  address: string;
  iceServers: readonly string[];
  /** Counts this session's refusals too (`bad-frame`, `bad-signal`). */
  hub: ClientHub;
  /** Shared by the gateway's sessions, so a message sent to many peers is framed once. */
  framed?: LastEncoded<string>;
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
  /** The client announced a clean close: no peer of this session publishes its will. */
  private saidBye = false;
  private readonly signals = new TokenBucket(SIGNALS_PER_SECOND, SIGNAL_BURST);
  private readonly closing = new Set<Promise<void>>();
  private readonly framed: LastEncoded<string>;

  constructor(
    private readonly link: SignalingLink,
    private readonly options: ServerSessionOptions,
  ) {
    this.framed = options.framed ?? new LastEncoded(encodeServerMessage);
  }

  onMessage(message: SignalMessage): void {
    if (this.ended) return;
    if (!this.signals.take()) {
      this.options.hub.refuse('rate-limit');
      this.options.hub.kicked();
      this.link.send({ type: 'error', message: KICK_REASONS.rate });
      void this.end();
      return;
    }
    switch (message.type) {
      case 'offer':
        return this.answer(message.id, message.sdp);
      case 'candidate':
        return this.addCandidate(message.id, message.candidate, message.mid);
      case 'bye':
        this.saidBye = true;
        this.current?.hub.goodbye();
        return;
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

  /**
   * A newer connection of the same client took its id over: the session ends, with no will, and
   * the client is told why so it does not come back.
   */
  takeOver(): Promise<void> {
    this.saidBye = true;
    this.current?.hub.goodbye();
    if (this.current !== null) this.sendError(this.current, KICK_REASONS.takenOver, 'disconnected');
    this.link.send({ type: 'error', message: KICK_REASONS.takenOver });
    return this.end();
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
    await Promise.all([retiring, this.link.close()]);
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
        clientId: this.options.clientId,
        address: this.options.address,
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
    if (served.peer.closed) return;
    if (!served.hub.admit()) return this.kick(served);
    const decoded = decodeClientFrame(text);
    if (!decoded.ok) {
      this.options.hub.refuse('bad-frame');
      return this.sendError(served, 'bad-frame', decoded.error);
    }
    const refused = applyClientFrame(served.hub, decoded.frame);
    if (refused !== null) this.sendError(served, refused.refusal, refused.detail);
  }

  /**
   * Over the rate limit: the whole session ends. The reason goes on signaling too, whose close
   * handshake delivers it; the data channels close at once and may lose their last frame.
   */
  private kick(served: ServedPeer): void {
    this.options.hub.kicked();
    this.sendError(served, KICK_REASONS.rate, 'disconnected');
    this.link.send({ type: 'error', message: KICK_REASONS.rate });
    void this.end();
  }

  private deliver(served: ServedPeer, topic: string, payload: string, reliable: boolean): void {
    const frame = this.framed.of(topic, payload);
    const limits = this.options.hub.limits;
    if (!reliable && served.unreliable?.isOpen) {
      // Latest wins: a frame that would queue behind a backlog (past shedBytes) is already stale.
      if (served.unreliable.bufferedAmount > limits.shedBytes) return this.options.hub.shed();
      served.unreliable.send(frame);
      return;
    }
    const channel = served.reliable;
    if (channel === null) return;
    // A peer this far behind on the reliable channel (past stalledBytes) is not reading: cut it
    // off, it re-offers.
    if (channel.bufferedAmount > limits.stalledBytes) {
      this.options.hub.kicked();
      void this.retire(served);
      return;
    }
    channel.send(frame);
  }

  /** Refusals are answered, not punished: the peer stays up. */
  private sendError(served: ServedPeer, reason: string, detail: string): void {
    if ((served.reliable?.bufferedAmount ?? 0) > this.options.hub.limits.shedBytes) return;
    served.reliable?.send(encodeServerFrame({ kind: 'err', reason, detail }));
  }

  private refuseSignal(message: string, id?: number): void {
    this.options.hub.refuse('bad-signal');
    this.link.send(id === undefined ? { type: 'error', message } : { type: 'error', id, message });
  }

  private retire(served: ServedPeer | null): Promise<void> {
    if (served === null || served.peer.closed) return Promise.resolve();
    if (this.current === served) this.current = null;
    if (this.saidBye) served.hub.goodbye();
    served.hub.detach();
    const closing = served.peer.close();
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
    return closing;
  }
}
