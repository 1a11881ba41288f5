/**
 * Server side of the WebRTC transport. Signaling arrives at /rtc (WebSocket) and at /rtc.io/
 * (Socket.io), both always offered so each client picks with its own --signaling flag; each
 * signaling connection becomes an RtcServerSession whose peer connection is attached to the ClientHub. Nothing
 * outside this folder knows the messages travelled over data channels.
 */
import { AddressLimiter } from '../address-limiter.js';
import { claimClientId } from '../claim-client-id.js';
import { ClientHub } from '../hub.js';
import { KICK_REASONS } from '../limits.js';
import { LastEncoded } from '../last-encoded.js';
import type { Gateway, GatewayContext, GatewayCounters } from '../transport.js';
import { encodeServerMessage } from '../framed/framing.js';
import { httpUrlOf } from '../http-url.js';
import type { AcceptLink, SignalingEndpoint } from './links.js';
import { parseRtcOptions, type RtcOptions } from './options.js';
import { RtcServerSession } from './server-session.js';
import { SocketIoSignalingEndpoint } from './socketio-signaling.js';
import { WsSignalingEndpoint } from './ws-signaling.js';

export class WebRtcGateway implements Gateway {
  readonly name = 'webrtc' as const;
  readonly hub: ClientHub;
  private readonly options: RtcOptions;
  private readonly addresses: AddressLimiter;
  private readonly sessions = new Set<RtcServerSession>();
  private endpoints: SignalingEndpoint[] = [];
  private nextId = 1;
  /** A message is framed once for all its peers, as the ws gateway does. */
  private readonly framed = new LastEncoded(encodeServerMessage);

  constructor(private readonly context: GatewayContext) {
    this.hub = new ClientHub(context.bus, 'webrtc', { policy: context.policy, clientLimits: context.options.limits ?? {} });
    this.options = parseRtcOptions(context.options.extra);
    this.addresses = new AddressLimiter(this.hub.limits.connectionsPerAddress);
  }

  get counters(): GatewayCounters {
    return this.hub.counters;
  }

  /** Signaling connections currently open. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    if (this.endpoints.length > 0) return;
    const accept: AcceptLink = (link, { clientId, token }, address) => {
      if (!this.addresses.admit(address)) {
        this.hub.kicked();
        return KICK_REASONS.connections;
      }
      // The id is claimed by the signaling connection, which outlives each peer it negotiates.
      const claim = claimClientId(this.context.clients, clientId, token, {
        transport: 'webrtc',
        address,
        takeOver: () => void session.takeOver(),
      });
      if (claim === KICK_REASONS.idTaken) {
        this.addresses.release(address);
        this.hub.refuse(claim);
        return claim;
      }
      const serial = this.nextId++;
      const session = new RtcServerSession(link, {
        connectionId: clientId === null ? `rtc-${serial}` : `${clientId}#${serial}`,
        clientId,
        address,
        iceServers: this.options.iceServers,
        hub: this.hub,
        framed: this.framed,
      });
      this.sessions.add(session);
      let closed = false;
      return {
        onMessage: (message) => session.onMessage(message),
        onMalformed: () => session.onMalformed(),
        onClose: () => {
          if (closed) return;
          closed = true;
          this.addresses.release(address);
          claim?.release();
          this.sessions.delete(session);
          session.onClose();
        },
      };
    };
    const endpoints: SignalingEndpoint[] = [
      new WsSignalingEndpoint(this.context.upgrades, accept),
      new SocketIoSignalingEndpoint(this.context.http, this.context.upgrades, accept),
    ];
    for (const endpoint of endpoints) endpoint.start();
    this.endpoints = endpoints;
  }

  async stop(): Promise<void> {
    const endpoints = this.endpoints;
    this.endpoints = [];
    this.hub.shutdown();
    const sessions = [...this.sessions];
    this.sessions.clear();
    await Promise.all([...endpoints.map((endpoint) => endpoint.stop()), ...sessions.map((session) => session.end())]);
  }

  /**
   * Closes every peer connection and leaves signaling up: each client re-negotiates a fresh
   * one. What an operator does to shed a wedged native stack; the tests' way to break a link.
   */
  async dropPeers(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.dropPeer()));
  }

  describe(): string {
    return httpUrlOf(this.context.http, this.context.host);
  }
}
