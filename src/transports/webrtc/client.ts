/**
 * Client side of the WebRTC transport. It signals over the server's WebSocket (or Socket.io),
 * offers a peer connection with two data channels, and from then on talks to the server peer
 * to peer: latest-wins publishes on the unordered channel, everything else on the reliable one.
 *
 * After the first connection it never gives up. A failed or closed peer is re-negotiated (a
 * new peer connection, subscriptions sent again) over the signaling link if that is still up;
 * a dropped signaling link is dialled again first. Attempts back off, capped.
 */
import {
  TransportError,
  type WillMessage,
  type ClientOptions,
  type ConnectionStatus,
  type MessageHandler,
  type PublishOptions,
  type StatusHandler,
  type TransportClient,
  type WireCounters,
} from '../transport.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../framed/backoff.js';
import { decodeServerFrame, encodeClientFrame, isFrameToken } from '../framed/framing.js';
import { CandidateBuffer, type RemoteCandidate } from './candidate-buffer.js';
import { LATEST_WINS_BACKLOG_BYTES, RELIABLE_LABEL, UNRELIABLE_LABEL } from './channels.js';
import type { DialLink, SignalingLink, SignalingLinkEvents } from './links.js';
import { parseRtcOptions, type RtcOptions } from './options.js';
import { createPeer, type RtcChannel, type RtcPeer } from './peer.js';
import type { SignalMessage } from './signal.js';
import { dialSocketIo } from './socketio-signaling.js';
import { ClientEvents } from '../client-events.js';
import { KICK_REASONS } from '../limits.js';
import { dialWs, rtcWsUrl } from './ws-signaling.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Reliable publishes kept while offline; beyond this the oldest go (they would be stale). */
export const MAX_QUEUED_RELIABLE = 64;

interface Negotiation {
  id: number;
  peer: RtcPeer;
  reliable: RtcChannel;
  unreliable: RtcChannel;
  /** The server's answer has been applied; candidates can go straight to the peer. */
  described: boolean;
  /**
   * Our candidates, held back until the answer is applied. Sent earlier, they let the server's
   * connectivity checks and DTLS handshake reach us while libdatachannel is still applying the
   * answer, and the handshake then fails the fingerprint check (seen on loopback in about 1 in
   * 30 connections).
   */
  heldCandidates: RemoteCandidate[];
  connected: boolean;
}

interface FirstConnect {
  resolve: () => void;
  reject: (error: TransportError) => void;
}

/**
 * Why a connection attempt ended. `dropLink`: the signaling link is gone or untrustworthy, so
 * the next attempt dials again; before the first connection that also ends connect(). A peer
 * failure alone is retried, until the connect deadline, over the same link.
 */
type Loss = { reason: string; code: 'EUNREACHABLE' | 'ETIMEDOUT' | 'EPROTOCOL'; dropLink: boolean };

export class WebRtcClient implements TransportClient {
  readonly name = 'webrtc' as const;
  /** Server `err` frames and signaling errors received. */
  refusals = 0;
  lastRefusal: string | null = null;
  /** Latest-wins publishes dropped because no channel was open (or it was backlogged). */
  droppedOffline = 0;
  /** Messages by the channel that carried them, to see which path each kind of data took. */
  readonly channelMessages = {
    reliable: { in: 0, out: 0 },
    unreliable: { in: 0, out: 0 },
  };

  private readonly events = new ClientEvents();
  private readonly rtc: RtcOptions;
  private readonly dial: DialLink;
  private readonly target: string;
  private readonly timeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly filters = new Set<string>();
  private readonly queued: string[] = [];
  private readonly early = new CandidateBuffer();
  private readonly closingPeers = new Set<Promise<void>>();
  private link: SignalingLink | null = null;
  private will: string | null = null;
  private seatToken: string | null = null;
  private negotiation: Negotiation | null = null;
  private nextNegotiationId = 1;
  /** Bumped by every attempt and loss, so a late dial or timer of an abandoned attempt is ignored. */
  private attemptToken = 0;
  private attempt = 0;
  private attemptTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private firstConnect: FirstConnect | null = null;
  private everConnected = false;
  private closing = false;
  private retiredBytesIn = 0;
  private retiredBytesOut = 0;
  private messagesIn = 0;
  private messagesOut = 0;

  /** `dial` replaces the signaling connection, for an embedder with its own signaling path. */
  constructor(
    private readonly options: ClientOptions,
    overrides: { dial?: DialLink } = {},
  ) {
    const extra = options.extra ?? {};
    this.rtc = parseRtcOptions(extra);
    this.timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.backoff = {
      baseMs: Number(extra['reconnectBaseMs'] ?? DEFAULT_BACKOFF.baseMs),
      maxMs: Number(extra['reconnectMaxMs'] ?? DEFAULT_BACKOFF.maxMs),
    };
    if (this.rtc.signaling === 'socketio') {
      this.dial = overrides.dial ?? dialSocketIo(options.serverUrl, options.clientId, () => this.seatToken, this.timeoutMs, options.ca);
      this.target = `${options.serverUrl} (Socket.io signaling)`;
    } else {
      this.dial = overrides.dial ?? dialWs(options.serverUrl, options.clientId, () => this.seatToken, this.timeoutMs, options.ca);
      this.target = rtcWsUrl(options.serverUrl, options.clientId).split('?')[0]!;
    }
  }

  get status(): ConnectionStatus {
    return this.events.status;
  }

  /** What the current status is waiting for or why it was lost, e.g. 'ice checking'. */
  get detail(): string | undefined {
    return this.events.detail;
  }

  /**
   * Bytes of the data-channel messages (our framing included) as libdatachannel's SCTP
   * transport counts them, summed over every peer connection so far. SCTP, DTLS, UDP and IP
   * headers and the signaling traffic are not included.
   */
  get wire(): Readonly<WireCounters> {
    const peer = this.negotiation?.peer;
    return {
      bytesIn: this.retiredBytesIn + (peer?.bytesReceived ?? 0),
      bytesOut: this.retiredBytesOut + (peer?.bytesSent ?? 0),
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
    };
  }

  connect(): Promise<void> {
    if (this.closing) return Promise.reject(new TransportError('ECLOSED', 'webrtc client is closed'));
    if (this.everConnected || this.firstConnect) return Promise.reject(new TransportError('EPROTOCOL', 'connect() was already called'));
    return new Promise<void>((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.deadlineTimer = setTimeout(() => this.timeOut(), this.timeoutMs);
      this.events.setStatus('connecting', `signaling ${this.target}`);
      this.startAttempt();
    });
  }

  publish(topic: string, payload: string, options: PublishOptions = {}): void {
    this.assertOpen();
    const qos = options.qos ?? 0;
    const retain = options.retain ?? false;
    const reliable = options.reliable ?? (qos === 1 || retain);
    const frame = encodeClientFrame({ kind: 'pub', topic, qos, retain, payload });
    const negotiation = this.live();
    if (negotiation !== null) {
      const channel = reliable ? negotiation.reliable : negotiation.unreliable;
      if (!reliable && channel.bufferedAmount > LATEST_WINS_BACKLOG_BYTES) {
        this.droppedOffline += 1;
        return;
      }
      if (channel.send(frame)) {
        this.messagesOut += 1;
        this.channelMessages[reliable ? 'reliable' : 'unreliable'].out += 1;
        return;
      }
    }
    if (!reliable) {
      this.droppedOffline += 1;
      return;
    }
    if (this.queued.length >= MAX_QUEUED_RELIABLE) this.queued.shift();
    this.queued.push(frame);
  }

  subscribe(filter: string): void {
    this.assertOpen();
    assertToken(filter);
    this.filters.add(filter);
    this.live()?.reliable.send(encodeClientFrame({ kind: 'sub', filter }));
  }

  unsubscribe(filter: string): void {
    this.assertOpen();
    assertToken(filter);
    this.filters.delete(filter);
    this.live()?.reliable.send(encodeClientFrame({ kind: 'unsub', filter }));
  }

  setSeatToken(token: string | null): void {
    // Read by the next dial of signaling, where the server claims this client's id.
    this.seatToken = token;
  }

  setWill(will: WillMessage | null): void {
    this.assertOpen();
    this.will =
      will === null
        ? null
        : encodeClientFrame({ kind: 'will', will: { topic: will.topic, qos: will.qos ?? 0, retain: will.retain ?? false, payload: will.payload } });
    this.live()?.reliable.send(this.will ?? encodeClientFrame({ kind: 'will', will: null }));
  }

  onMessage(handler: MessageHandler): () => void {
    return this.events.onMessage(handler);
  }

  onStatus(handler: StatusHandler): () => void {
    return this.events.onStatus(handler);
  }

  async close(): Promise<void> {
    if (this.closing) {
      await Promise.all(this.closingPeers);
      return;
    }
    this.closing = true;
    this.attemptToken += 1;
    this.clearTimers();
    this.events.setStatus('closed');
    this.clearDeadline();
    this.firstConnect?.reject(new TransportError('ECLOSED', 'webrtc client was closed while connecting'));
    this.firstConnect = null;
    // Said over signaling, whose close completes only after the server has read it, and before
    // the peer closes: a peer closing first would look like a vanished client.
    const link = this.link;
    this.link = null;
    if (link !== null) {
      link.send({ type: 'bye' });
      await link.close();
    }
    this.retireNegotiation();
    // Resolves once libdatachannel has let go of each peer, so the process can exit.
    await Promise.all(this.closingPeers);
  }

  private live(): Negotiation | null {
    const negotiation = this.negotiation;
    return negotiation !== null && negotiation.connected ? negotiation : null;
  }

  /** One attempt: dial signaling if needed, then negotiate, all within the connect timeout. */
  private startAttempt(): void {
    const token = ++this.attemptToken;
    // Before the first connection the connect deadline bounds every attempt together.
    if (this.everConnected) this.attemptTimer = setTimeout(() => this.timeOut(), this.timeoutMs);
    if (this.link !== null) {
      this.negotiate();
      return;
    }
    this.events.setDetail(`signaling ${this.target}`);
    const linkEvents: SignalingLinkEvents = {
      onMessage: (message) => {
        if (this.link === link) this.onSignal(message);
      },
      onMalformed: () => {
        this.refusals += 1;
        this.lastRefusal = 'malformed signaling message from server';
      },
      onClose: (reason) => {
        if (this.link !== link) return;
        this.link = null;
        this.lose({ reason, code: 'EUNREACHABLE', dropLink: true });
      },
    };
    let link: SignalingLink | null = null;
    this.dial(linkEvents).then(
      (opened) => {
        if (token !== this.attemptToken || this.closing) {
          void opened.close();
          return;
        }
        link = opened;
        this.link = opened;
        this.negotiate();
      },
      (error: Error) => {
        if (token !== this.attemptToken) return;
        this.lose({ reason: `cannot reach signaling at ${this.target} — ${error.message}`, code: 'EUNREACHABLE', dropLink: true });
      },
    );
  }

  private negotiate(): void {
    try {
      this.offer();
    } catch (error) {
      // The native stack refused our configuration: retrying cannot help.
      this.lose({ reason: `cannot create a peer connection: ${(error as Error).message}`, code: 'EPROTOCOL', dropLink: true });
    }
  }

  private offer(): void {
    const id = this.nextNegotiationId++;
    const peer = createPeer(this.options.clientId, { iceServers: this.rtc.iceServers }, {
      onLocalDescription: (sdp, type) => {
        if (type === 'offer') this.link?.send({ type: 'offer', id, sdp });
      },
      onLocalCandidate: (candidate, mid) => {
        if (negotiation.described) this.link?.send({ type: 'candidate', id, candidate, mid });
        else negotiation.heldCandidates.push({ candidate, mid });
      },
      onStateChange: (state) => {
        if (this.negotiation?.id !== id) return;
        if (state === 'failed' || state === 'closed' || state === 'disconnected') {
          this.lose({ reason: `peer connection ${state}`, code: 'EUNREACHABLE', dropLink: false });
        } else if (state === 'connected' && !negotiation.connected) {
          this.events.setDetail('opening data channels');
        }
      },
      onIceStateChange: (state) => {
        if (this.negotiation?.id === id && !negotiation.connected) this.events.setDetail(`ice ${state}`);
      },
    });
    const channelEvents = (label: typeof RELIABLE_LABEL | typeof UNRELIABLE_LABEL) => ({
      onOpen: () => this.onChannelOpen(id),
      onMessage: (text: string) => this.onFrame(text, label),
      onClose: () => {
        if (this.negotiation?.id === id) this.lose({ reason: `${label} channel closed`, code: 'EUNREACHABLE', dropLink: false });
      },
    });
    const negotiation: Negotiation = {
      id,
      peer,
      reliable: peer.createChannel(RELIABLE_LABEL, { reliable: true }, channelEvents(RELIABLE_LABEL)),
      unreliable: peer.createChannel(UNRELIABLE_LABEL, { reliable: false }, channelEvents(UNRELIABLE_LABEL)),
      described: false,
      heldCandidates: [],
      connected: false,
    };
    this.negotiation = negotiation;
    this.events.setDetail('offer sent');
  }

  private onSignal(message: SignalMessage): void {
    const negotiation = this.negotiation;
    switch (message.type) {
      case 'answer':
        if (negotiation === null || negotiation.id !== message.id || negotiation.described) return;
        try {
          negotiation.peer.setRemoteDescription(message.sdp, 'answer');
        } catch (error) {
          this.lose({ reason: `answer refused: ${(error as Error).message}`, code: 'EUNREACHABLE', dropLink: false });
          return;
        }
        negotiation.described = true;
        this.events.setDetail('answer received');
        for (const held of negotiation.heldCandidates.splice(0)) this.link?.send({ type: 'candidate', id: negotiation.id, ...held });
        for (const candidate of this.early.take(message.id)) this.applyCandidate(negotiation, candidate.candidate, candidate.mid);
        return;
      case 'candidate':
        if (negotiation !== null && negotiation.id === message.id && negotiation.described) {
          this.applyCandidate(negotiation, message.candidate, message.mid);
        } else if (negotiation !== null && message.id >= negotiation.id) {
          this.early.push(message.id, { candidate: message.candidate, mid: message.mid });
        }
        return;
      case 'error':
        this.refusals += 1;
        this.lastRefusal = `signaling: ${message.message}`;
        if (message.message === KICK_REASONS.takenOver) return this.end(message.message);
        if (negotiation !== null && message.id === negotiation.id && !negotiation.connected) {
          this.lose({ reason: `server refused the offer: ${message.message}`, code: 'EUNREACHABLE', dropLink: false });
        }
        return;
      case 'offer':
        // This client always offers; an offer from the server is out of place.
        this.refusals += 1;
        this.lastRefusal = 'unexpected offer from server';
        return;
    }
  }

  private applyCandidate(negotiation: Negotiation, candidate: string, mid: string): void {
    try {
      negotiation.peer.addRemoteCandidate(candidate, mid);
    } catch {
      // One bad candidate is not fatal: ICE carries on with the others.
      this.refusals += 1;
      this.lastRefusal = 'server candidate refused';
    }
  }

  private onChannelOpen(id: number): void {
    const negotiation = this.negotiation;
    if (negotiation === null || negotiation.id !== id || negotiation.connected) return;
    if (!negotiation.reliable.isOpen || !negotiation.unreliable.isOpen) return;
    negotiation.connected = true;
    if (this.attemptTimer) clearTimeout(this.attemptTimer);
    this.attemptTimer = null;
    this.clearDeadline();
    this.attempt = 0;
    this.everConnected = true;
    if (this.will !== null) negotiation.reliable.send(this.will);
    for (const filter of this.filters) negotiation.reliable.send(encodeClientFrame({ kind: 'sub', filter }));
    for (const frame of this.queued.splice(0)) {
      if (!negotiation.reliable.send(frame)) continue;
      this.messagesOut += 1;
      this.channelMessages.reliable.out += 1;
    }
    this.events.setStatus('connected', 'data channels open');
    this.firstConnect?.resolve();
    this.firstConnect = null;
  }

  private onFrame(text: string, label: typeof RELIABLE_LABEL | typeof UNRELIABLE_LABEL): void {
    const decoded = decodeServerFrame(text);
    if (!decoded.ok) {
      this.refusals += 1;
      this.lastRefusal = `malformed frame from server: ${decoded.error}`;
      return;
    }
    const frame = decoded.frame;
    if (frame.kind === 'err') {
      this.refusals += 1;
      this.lastRefusal = `${frame.reason} ${frame.detail}`;
      return;
    }
    this.messagesIn += 1;
    this.channelMessages[label].in += 1;
    this.events.deliver(frame.topic, frame.payload);
  }

  private timeOut(): void {
    this.attemptTimer = null;
    const waitingFor = this.events.detail ?? 'signaling';
    this.lose({ reason: `no data channel within ${this.timeoutMs} ms (${waitingFor})`, code: 'ETIMEDOUT', dropLink: true });
  }

  /** The server ended this client for good (a newer connection of it took over): no retries. */
  private end(reason: string): void {
    this.closing = true;
    this.attemptToken += 1;
    this.clearTimers();
    this.clearDeadline();
    this.retireNegotiation();
    void this.link?.close();
    this.link = null;
    const first = this.firstConnect;
    this.firstConnect = null;
    first?.reject(new TransportError('EUNREACHABLE', `webrtc: ${reason}`));
    this.events.setStatus('closed', reason);
  }

  /** Every failure ends here: it ends connect() if the first connection is hopeless, else retries. */
  private lose(loss: Loss): void {
    if (this.closing) return;
    this.attemptToken += 1;
    this.clearTimers();
    this.retireNegotiation();
    if (loss.dropLink) {
      void this.link?.close();
      this.link = null;
    }
    const first = this.firstConnect;
    if (first !== null && loss.dropLink) {
      this.firstConnect = null;
      this.clearDeadline();
      this.events.setStatus('disconnected', loss.reason);
      first.reject(new TransportError(loss.code, `webrtc: ${loss.reason}`));
      return;
    }
    if (first !== null) this.events.setDetail(loss.reason);
    else this.events.setStatus('reconnecting', loss.reason);
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.startAttempt();
    }, delay);
  }

  private retireNegotiation(): void {
    const negotiation = this.negotiation;
    if (negotiation === null) return;
    this.negotiation = null;
    this.early.clear();
    const closing = negotiation.peer.close();
    // close() has already frozen the native counters, so they can be read now.
    this.retiredBytesIn += negotiation.peer.bytesReceived;
    this.retiredBytesOut += negotiation.peer.bytesSent;
    this.closingPeers.add(closing);
    void closing.finally(() => this.closingPeers.delete(closing));
  }

  private clearTimers(): void {
    if (this.attemptTimer) clearTimeout(this.attemptTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.attemptTimer = null;
    this.retryTimer = null;
  }

  private clearDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }

  private assertOpen(): void {
    if (this.closing) throw new TransportError('ECLOSED', 'webrtc client is closed');
  }
}

function assertToken(filter: string): void {
  if (!isFrameToken(filter)) throw new TypeError(`filter ${JSON.stringify(filter)} is empty or has whitespace`);
}
