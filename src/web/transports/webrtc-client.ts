/**
 * The WebRTC transport in the browser: the browser's own RTCPeerConnection to the server's
 * node-datachannel peer, signalled over the WebSocket at /rtc (docs/PROTOCOL.md, "WebRTC data
 * channels"). The page offers, as every pong client does; it creates both channels before the
 * offer: `reliable` (ordered, reliable) and `unreliable` (unordered, no retransmits) for the
 * latest-wins ball, paddle and ack. Its own candidates go out once the answer is applied; the
 * server's may come before the answer and wait for it. A failed peer is negotiated again with a
 * new id over the same signaling socket; a closed signaling socket is dialled again. Queueing,
 * retries, wills and subscriptions are the framed client core's (transports/framed/client.ts).
 */
import { FramedClient, type ByteCounters } from '../../transports/framed/client.js';
import { KICK_REASONS } from '../../transports/limits.js';
import { TransportError, type ClientOptions, type TransportErrorCode } from '../../transports/transport.js';
import { LATEST_WINS_BACKLOG_BYTES, RELIABLE_LABEL, UNRELIABLE_LABEL } from '../../transports/webrtc/channels.js';
import { encodeSignal, parseSignalText, type SignalMessage } from '../../transports/webrtc/signal.js';
import { socketUrl } from './server-urls.js';
import { utf8Bytes } from './utf8-bytes.js';

const CONNECT_TIMEOUT_MS = 10_000;
/** The signaling endpoint's path, as the server registers it. */
export const RTC_PATH = '/rtc';
/** Candidates of the server that arrive before the answer; the server buffers as many. */
const MAX_EARLY_CANDIDATES = 64;

interface Negotiation {
  id: number;
  peer: RTCPeerConnection;
  reliable: RTCDataChannel;
  unreliable: RTCDataChannel;
  described: boolean;
  /** Our candidates, held until the answer is applied. */
  held: Array<{ candidate: string; mid: string }>;
  /** The server's, arrived before the answer. */
  early: Array<{ candidate: string; mid: string }>;
  connected: boolean;
}

export class BrowserWebRtcClient extends FramedClient {
  readonly name = 'webrtc' as const;
  /** The data-channel messages' bytes, as node-datachannel counts them on the server's side. */
  private readonly bytes: ByteCounters = { bytesIn: 0, bytesOut: 0 };
  private signaling: WebSocket | null = null;
  private negotiation: Negotiation | null = null;
  private nextId = 1;

  constructor(
    private readonly options: ClientOptions,
    private readonly iceServers: RTCIceServer[] = [],
  ) {
    super(options, CONNECT_TIMEOUT_MS);
  }

  protected dial(): void {
    if (this.signaling?.readyState === WebSocket.OPEN) return this.offer();
    this.dropSignaling();
    const socket = new WebSocket(socketUrl(this.options.serverUrl, RTC_PATH, { clientId: this.options.clientId, token: this.seatToken }));
    this.signaling = socket;
    let opened = false;
    this.events.setDetail('signaling');
    socket.addEventListener('open', () => {
      opened = true;
      this.offer();
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (this.signaling !== socket || typeof event.data !== 'string') return;
      const message = parseSignalText(event.data);
      if (message === null) this.refused('signaling: malformed message');
      else this.onSignal(message);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.signaling !== socket) return;
      this.signaling = null;
      if (event.reason === KICK_REASONS.takenOver) return this.end(event.reason);
      this.dropPeer();
      const why = opened ? `signaling closed (${event.code}${event.reason ? ` ${event.reason}` : ''})` : 'signaling refused or unreachable';
      this.lost(why, opened ? undefined : this.connectError(why, 'EUNREACHABLE'));
    });
  }

  protected transmit(frame: string, reliable: boolean): boolean {
    const negotiation = this.negotiation;
    if (negotiation === null || !negotiation.connected) return false;
    const channel = reliable ? negotiation.reliable : negotiation.unreliable;
    if (channel.readyState !== 'open') return false;
    // A backlog means the path is slower than the frames: the next one will be fresher.
    if (!reliable && channel.bufferedAmount > LATEST_WINS_BACKLOG_BYTES) return false;
    channel.send(frame);
    this.bytes.bytesOut += utf8Bytes(frame);
    return true;
  }

  protected abandon(): void {
    this.dropPeer();
    this.dropSignaling();
  }

  protected hangUp(): Promise<void> {
    const socket = this.signaling;
    // Signaling first: the server then closes the peer without publishing our will.
    if (socket?.readyState === WebSocket.OPEN) socket.send(encodeSignal({ type: 'bye' }));
    this.abandon();
    return Promise.resolve();
  }

  protected connectTimedOut(): void {
    const reason = `no data channels within ${this.timeoutMs} ms (${this.detail ?? 'signaling'})`;
    this.lost(reason, this.connectError(reason, 'EUNREACHABLE'));
  }

  protected connectError(reason: string, code: TransportErrorCode): TransportError {
    return new TransportError(code, `cannot reach the WebRTC peer of ${this.options.serverUrl} (signaling at ${RTC_PATH}): ${reason}`);
  }

  protected bytesCarried(): ByteCounters {
    return this.bytes;
  }

  private offer(): void {
    this.dropPeer();
    const id = this.nextId++;
    const peer = new RTCPeerConnection({ iceServers: this.iceServers });
    const negotiation: Negotiation = {
      id,
      peer,
      reliable: peer.createDataChannel(RELIABLE_LABEL, { ordered: true }),
      unreliable: peer.createDataChannel(UNRELIABLE_LABEL, { ordered: false, maxRetransmits: 0 }),
      described: false,
      held: [],
      early: [],
      connected: false,
    };
    this.negotiation = negotiation;
    const current = (): boolean => this.negotiation === negotiation;
    for (const channel of [negotiation.reliable, negotiation.unreliable]) {
      channel.addEventListener('open', () => {
        if (!current() || negotiation.connected) return;
        if (negotiation.reliable.readyState !== 'open' || negotiation.unreliable.readyState !== 'open') return;
        negotiation.connected = true;
        this.opened();
      });
      channel.addEventListener('message', (event: MessageEvent) => {
        if (!current() || typeof event.data !== 'string') return;
        this.bytes.bytesIn += utf8Bytes(event.data);
        this.receive(event.data);
      });
      channel.addEventListener('close', () => {
        if (current()) this.renegotiate(`${channel.label} channel closed`);
      });
    }
    peer.addEventListener('icecandidate', (event: RTCPeerConnectionIceEvent) => {
      const candidate = event.candidate;
      if (!current() || candidate === null || candidate.candidate === '') return;
      const local = { candidate: candidate.candidate, mid: candidate.sdpMid ?? '0' };
      if (negotiation.described) this.signal({ type: 'candidate', id, ...local });
      else negotiation.held.push(local);
    });
    peer.addEventListener('connectionstatechange', () => {
      if (!current()) return;
      const state = peer.connectionState;
      if (state === 'failed' || state === 'closed') this.renegotiate(`peer connection ${state}`);
      else if (!negotiation.connected) this.events.setDetail(`peer ${state}`);
    });
    this.events.setDetail('offer sent');
    peer
      .createOffer()
      .then((offer) => peer.setLocalDescription(offer))
      .then(() => {
        if (current() && peer.localDescription !== null) this.signal({ type: 'offer', id, sdp: peer.localDescription.sdp });
      })
      .catch((error: unknown) => {
        if (current()) this.renegotiate(`offer failed: ${error instanceof Error ? error.message : String(error)}`);
      });
  }

  private onSignal(message: SignalMessage): void {
    const negotiation = this.negotiation;
    switch (message.type) {
      case 'answer': {
        if (negotiation === null || negotiation.id !== message.id || negotiation.described) return;
        negotiation.peer
          .setRemoteDescription({ type: 'answer', sdp: message.sdp })
          .then(() => {
            if (this.negotiation !== negotiation) return;
            negotiation.described = true;
            this.events.setDetail('answer received');
            for (const held of negotiation.held.splice(0)) this.signal({ type: 'candidate', id: negotiation.id, ...held });
            for (const early of negotiation.early.splice(0)) this.addCandidate(negotiation, early.candidate, early.mid);
          })
          .catch((error: unknown) => {
            if (this.negotiation === negotiation) this.renegotiate(`answer refused: ${error instanceof Error ? error.message : String(error)}`);
          });
        return;
      }
      case 'candidate':
        if (negotiation === null || negotiation.id !== message.id) return;
        if (negotiation.described) this.addCandidate(negotiation, message.candidate, message.mid);
        else if (negotiation.early.length < MAX_EARLY_CANDIDATES) negotiation.early.push({ candidate: message.candidate, mid: message.mid });
        return;
      case 'error':
        this.refused(`signaling: ${message.message}`);
        if (message.message === KICK_REASONS.takenOver) return this.end(message.message);
        if (negotiation !== null && message.id === negotiation.id && !negotiation.connected) this.renegotiate(`server refused the offer: ${message.message}`);
        return;
      case 'offer':
      case 'bye':
        // This client offers and says goodbye; from the server either is out of place.
        this.refused(`signaling: unexpected ${message.type}`);
        return;
    }
  }

  private addCandidate(negotiation: Negotiation, candidate: string, mid: string): void {
    const line = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
    negotiation.peer.addIceCandidate({ candidate: line, sdpMid: mid }).catch(() => {
      // One bad candidate is not fatal: ICE carries on with the others.
      this.refused('server candidate refused');
    });
  }

  /** This peer is lost: a new one is offered after the backoff, over the same signaling. */
  private renegotiate(reason: string): void {
    this.dropPeer();
    this.lost(reason);
  }

  private signal(message: SignalMessage): void {
    if (this.signaling?.readyState === WebSocket.OPEN) this.signaling.send(encodeSignal(message));
  }

  private dropPeer(): void {
    const negotiation = this.negotiation;
    this.negotiation = null;
    negotiation?.peer.close();
  }

  private dropSignaling(): void {
    const socket = this.signaling;
    this.signaling = null;
    socket?.close();
  }
}
