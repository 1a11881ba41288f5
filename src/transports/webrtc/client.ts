/**
 * Client side of the WebRTC transport. It signals over the server's WebSocket (or Socket.io),
 * offers a peer connection with two data channels (./negotiation.ts), and from then on talks to
 * the server peer to peer: latest-wins publishes on the unordered channel, everything else on
 * the reliable one. Queueing, retries, wills and subscriptions are the framed client core's
 * (../framed/client.ts); this class owns the signaling link and the negotiations over it.
 *
 * A failed or closed peer is re-negotiated (a new peer connection) over the signaling link if
 * that is still up; a dropped signaling link is dialled again first.
 */
import { AddressRing, addressList } from '../address-ring.js';
import { FramedClient, type ByteCounters } from '../framed/client.js';
import { KICK_REASONS } from '../limits.js';
import { TransportError, type ClientOptions, type TransportErrorCode } from '../transport.js';
import type { DialLink, SignalingLink, SignalingLinkEvents } from './links.js';
import { Negotiation, type ChannelLabel } from './negotiation.js';
import { parseRtcOptions, type RtcOptions } from './options.js';
import type { SignalMessage } from './signal.js';
import { dialSocketIo } from './socketio-signaling.js';
import { dialWs, rtcWsUrl } from './ws-signaling.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Why a connection attempt ended. `dropLink`: the signaling link is gone or untrustworthy, so
 * the next attempt dials again; before the first connection that also ends connect(). A peer
 * failure alone is retried, until the connect deadline, over the same link.
 */
type Loss = { reason: string; code: 'EUNREACHABLE' | 'ETIMEDOUT' | 'EPROTOCOL'; dropLink: boolean };

export class WebRtcClient extends FramedClient {
  readonly name = 'webrtc' as const;
  /** Messages by the channel that carried them, to see which path each kind of data took. */
  readonly channelMessages = {
    reliable: { in: 0, out: 0 },
    unreliable: { in: 0, out: 0 },
  };

  private readonly rtc: RtcOptions;
  private readonly dialLink: DialLink;
  private readonly target: string;
  private readonly closingPeers = new Set<Promise<void>>();
  private link: SignalingLink | null = null;
  private negotiation: Negotiation | null = null;
  private nextNegotiationId = 1;
  /** Bumped by every attempt and loss, so a late dial or timer of an abandoned attempt is ignored. */
  private attemptToken = 0;
  private attemptTimer: NodeJS.Timeout | null = null;
  private retiredBytesIn = 0;
  private retiredBytesOut = 0;

  /** `dial` replaces the signaling connection, for an embedder with its own signaling path. */
  constructor(
    private readonly options: ClientOptions,
    overrides: { dial?: DialLink } = {},
  ) {
    super(options, DEFAULT_CONNECT_TIMEOUT_MS);
    this.rtc = parseRtcOptions(options.extra ?? {});
    // The seat token is read at every dial of signaling, where the server claims this client's id.
    const token = () => this.seatToken;
    // Several servers (a cluster's nodes): each new signaling link dials the next.
    const servers = addressList(options.serverUrl);
    const first = servers[0] ?? options.serverUrl;
    const ring = new AddressRing(
      servers.map((url) =>
        this.rtc.signaling === 'socketio'
          ? dialSocketIo(url, options.clientId, token, this.timeoutMs, options.ca)
          : dialWs(url, options.clientId, token, this.timeoutMs, options.ca),
      ),
    );
    this.dialLink = overrides.dial ?? ((events) => ring.next()(events));
    this.target =
      this.rtc.signaling === 'socketio' ? `${first} (Socket.io signaling)` : rtcWsUrl(first, options.clientId).split('?')[0]!;
  }

  /** One attempt: dial signaling if needed, then negotiate, all within the connect timeout. */
  protected dial(): void {
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
      onMalformed: () => this.refused('malformed signaling message from server'),
      onClose: (reason) => {
        if (this.link !== link) return;
        this.link = null;
        this.lose({ reason, code: 'EUNREACHABLE', dropLink: true });
      },
    };
    let link: SignalingLink | null = null;
    this.dialLink(linkEvents).then(
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

  protected transmit(frame: string, reliable: boolean): boolean {
    return this.negotiation?.send(frame, reliable) ?? false;
  }

  protected override countPublished(reliable: boolean): void {
    super.countPublished(reliable);
    this.channelMessages[reliable ? 'reliable' : 'unreliable'].out += 1;
  }

  protected abandon(): void {
    this.attemptToken += 1;
    this.clearAttemptTimer();
    this.retireNegotiation();
    void this.link?.close();
    this.link = null;
  }

  protected async hangUp(): Promise<void> {
    this.attemptToken += 1;
    this.clearAttemptTimer();
    // Said over signaling, whose close completes only after the server has read it, and before
    // the peer closes: a peer closing first would look like a vanished client.
    const link = this.link;
    this.link = null;
    if (link !== null) {
      link.send({ type: 'bye' });
      await link.close();
    }
    this.retireNegotiation();
  }

  /** Resolves once libdatachannel has let go of each peer, so the process can exit. */
  protected override async released(): Promise<void> {
    await Promise.all(this.closingPeers);
  }

  protected connectTimedOut(): void {
    this.timeOut();
  }

  protected connectError(reason: string, code: TransportErrorCode): TransportError {
    return new TransportError(code, `webrtc: ${reason}`);
  }

  /**
   * Bytes of the data-channel messages (our framing included) as libdatachannel's SCTP
   * transport counts them, summed over every peer connection so far. SCTP, DTLS, UDP and IP
   * headers and the signaling traffic are not included.
   */
  protected bytesCarried(): ByteCounters {
    return {
      bytesIn: this.retiredBytesIn + (this.negotiation?.bytesReceived ?? 0),
      bytesOut: this.retiredBytesOut + (this.negotiation?.bytesSent ?? 0),
    };
  }

  protected override connectingDetail(): string {
    return `signaling ${this.target}`;
  }

  private negotiate(): void {
    const id = this.nextNegotiationId++;
    try {
      this.negotiation = new Negotiation(id, this.options.clientId, this.rtc.iceServers, {
        signal: (message) => this.link?.send(message),
        onOpen: () => this.onChannelsOpen(),
        onFrame: (text, label) => this.onFrame(text, label),
        onLost: (reason) => this.lose({ reason, code: 'EUNREACHABLE', dropLink: false }),
        onStep: (detail) => this.events.setDetail(detail),
        onCandidateRefused: () => this.refused('server candidate refused'),
      });
    } catch (error) {
      // The native stack refused our configuration: retrying cannot help.
      this.lose({ reason: `cannot create a peer connection: ${(error as Error).message}`, code: 'EPROTOCOL', dropLink: true });
      return;
    }
    this.events.setDetail('offer sent');
  }

  private onSignal(message: SignalMessage): void {
    const negotiation = this.negotiation;
    switch (message.type) {
      case 'answer': {
        const refusal = negotiation?.answer(message.id, message.sdp) ?? null;
        if (refusal !== null) this.lose({ reason: `answer refused: ${refusal}`, code: 'EUNREACHABLE', dropLink: false });
        return;
      }
      case 'candidate':
        negotiation?.candidate(message.id, { candidate: message.candidate, mid: message.mid });
        return;
      case 'error':
        this.refused(`signaling: ${message.message}`);
        if (message.message === KICK_REASONS.takenOver) return this.end(message.message);
        if (negotiation !== null && message.id === negotiation.id && !negotiation.connected) {
          this.lose({ reason: `server refused the offer: ${message.message}`, code: 'EUNREACHABLE', dropLink: false });
        }
        return;
      case 'offer':
        // This client always offers; an offer from the server is out of place.
        this.refused('unexpected offer from server');
        return;
    }
  }

  private onChannelsOpen(): void {
    this.clearAttemptTimer();
    this.opened('data channels open');
  }

  private onFrame(text: string, label: ChannelLabel): void {
    if (this.receive(text)) this.channelMessages[label].in += 1;
  }

  private timeOut(): void {
    this.attemptTimer = null;
    const waitingFor = this.detail ?? 'signaling';
    this.lose({ reason: `no data channel within ${this.timeoutMs} ms (${waitingFor})`, code: 'ETIMEDOUT', dropLink: true });
  }

  /** Every failure ends here: it ends connect() if the first connection is hopeless, else retries. */
  private lose(loss: Loss): void {
    if (this.closing) return;
    this.attemptToken += 1;
    this.clearAttemptTimer();
    this.retireNegotiation();
    if (loss.dropLink) {
      void this.link?.close();
      this.link = null;
    }
    this.lost(loss.reason, loss.dropLink ? this.connectError(loss.reason, loss.code) : undefined);
  }

  private retireNegotiation(): void {
    const negotiation = this.negotiation;
    if (negotiation === null) return;
    this.negotiation = null;
    const closing = negotiation.retire();
    // retire() has already frozen the native counters, so they can be read now.
    this.retiredBytesIn += negotiation.bytesReceived;
    this.retiredBytesOut += negotiation.bytesSent;
    this.closingPeers.add(closing);
    void closing.finally(() => this.closingPeers.delete(closing));
  }

  private clearAttemptTimer(): void {
    if (this.attemptTimer) clearTimeout(this.attemptTimer);
    this.attemptTimer = null;
  }
}
