/**
 * One offer of the WebRTC client: a peer connection and its two data channels, from the offer
 * to their close. Every attempt (a re-negotiation too) is a new one; once retired, nothing its
 * peer still reports reaches the client, except frames already on their way.
 */
import { CandidateBuffer, type RemoteCandidate } from './candidate-buffer.js';
import { LATEST_WINS_BACKLOG_BYTES, RELIABLE_LABEL, UNRELIABLE_LABEL } from './channels.js';
import { createPeer, type RtcChannel, type RtcPeer } from './peer.js';
import type { SignalMessage } from './signal.js';

export type ChannelLabel = typeof RELIABLE_LABEL | typeof UNRELIABLE_LABEL;

export interface NegotiationEvents {
  /** For the server, over signaling: the offer, and our candidates once its answer is applied. */
  signal(message: SignalMessage): void;
  /** Both data channels are open. */
  onOpen(): void;
  onFrame(text: string, label: ChannelLabel): void;
  /** The peer failed or closed, or a channel closed: this negotiation is over. */
  onLost(reason: string): void;
  /** The step in progress, e.g. 'ice checking'. */
  onStep(detail: string): void;
  /** The native stack refused one of the server's candidates (ICE carries on with the others). */
  onCandidateRefused(): void;
}

export class Negotiation {
  private readonly peer: RtcPeer;
  private readonly reliable: RtcChannel;
  private readonly unreliable: RtcChannel;
  /** The server's candidates that came before its answer. */
  private readonly early = new CandidateBuffer();
  /**
   * Our candidates, held back until the answer is applied. Sent earlier, they let the server's
   * connectivity checks and DTLS handshake reach us while libdatachannel is still applying the
   * answer, and the handshake then fails the fingerprint check (seen on loopback in about 1 in
   * 30 connections).
   */
  private readonly heldCandidates: RemoteCandidate[] = [];
  /** The server's answer has been applied; candidates can go straight to the peer. */
  private described = false;
  private open = false;
  private retired = false;

  /** Throws when the native stack refuses the configuration. */
  constructor(
    readonly id: number,
    clientId: string,
    iceServers: readonly string[],
    private readonly events: NegotiationEvents,
  ) {
    this.peer = createPeer(clientId, { iceServers }, {
      onLocalDescription: (sdp, type) => {
        if (type === 'offer') events.signal({ type: 'offer', id, sdp });
      },
      onLocalCandidate: (candidate, mid) => {
        if (this.described) events.signal({ type: 'candidate', id, candidate, mid });
        else this.heldCandidates.push({ candidate, mid });
      },
      onStateChange: (state) => {
        if (this.retired) return;
        if (state === 'failed' || state === 'closed' || state === 'disconnected') events.onLost(`peer connection ${state}`);
        else if (state === 'connected' && !this.open) events.onStep('opening data channels');
      },
      onIceStateChange: (state) => {
        if (!this.retired && !this.open) events.onStep(`ice ${state}`);
      },
    });
    const channelEvents = (label: ChannelLabel) => ({
      onOpen: () => this.channelOpened(),
      onMessage: (text: string) => events.onFrame(text, label),
      onClose: () => {
        if (!this.retired) events.onLost(`${label} channel closed`);
      },
    });
    this.reliable = this.peer.createChannel(RELIABLE_LABEL, { reliable: true }, channelEvents(RELIABLE_LABEL));
    this.unreliable = this.peer.createChannel(UNRELIABLE_LABEL, { reliable: false }, channelEvents(UNRELIABLE_LABEL));
  }

  /** Both channels are open: frames can go. */
  get connected(): boolean {
    return this.open;
  }

  /** Data-channel bytes so far (frozen once retired). */
  get bytesSent(): number {
    return this.peer.bytesSent;
  }

  get bytesReceived(): number {
    return this.peer.bytesReceived;
  }

  /** The server's answer to offer `id`; returns why the peer refused it, or null. */
  answer(id: number, sdp: string): string | null {
    if (id !== this.id || this.described) return null;
    try {
      this.peer.setRemoteDescription(sdp, 'answer');
    } catch (error) {
      return (error as Error).message;
    }
    this.described = true;
    this.events.onStep('answer received');
    for (const held of this.heldCandidates.splice(0)) this.events.signal({ type: 'candidate', id, ...held });
    for (const candidate of this.early.take(id)) this.applyCandidate(candidate);
    return null;
  }

  /** A candidate of the server's, for offer `id` (or a later one: kept until its answer). */
  candidate(id: number, candidate: RemoteCandidate): void {
    if (id === this.id && this.described) this.applyCandidate(candidate);
    else if (id >= this.id) this.early.push(id, candidate);
  }

  /** Sends a frame now, reliable or latest-wins; false when not open or (latest-wins) backlogged. */
  send(frame: string, reliable: boolean): boolean {
    if (!this.open) return false;
    const channel = reliable ? this.reliable : this.unreliable;
    if (!reliable && channel.bufferedAmount > LATEST_WINS_BACKLOG_BYTES) return false;
    return channel.send(frame);
  }

  /** Ends it; resolves once libdatachannel has let go of the peer. */
  retire(): Promise<void> {
    this.retired = true;
    return this.peer.close();
  }

  private channelOpened(): void {
    if (this.retired || this.open || !this.reliable.isOpen || !this.unreliable.isOpen) return;
    this.open = true;
    this.events.onOpen();
  }

  private applyCandidate({ candidate, mid }: RemoteCandidate): void {
    try {
      this.peer.addRemoteCandidate(candidate, mid);
    } catch {
      this.events.onCandidateRefused();
    }
  }
}
